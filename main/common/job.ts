import type { ErrorData } from './errors.ts'

/**
 * The life of one file in an export, as plain data: it is journalled and crosses IPC unchanged.
 * `paused` keeps the bytes already in `<name>.part`.
 */
export type JobState =
  | { readonly kind: 'queued' }
  | { readonly kind: 'resolving' }
  | { readonly kind: 'downloading'; readonly bytes: number; readonly total?: number }
  | { readonly kind: 'paused'; readonly bytes: number }
  | { readonly kind: 'done'; readonly bytes: number; readonly crc64?: string; readonly localPath: string }
  | { readonly kind: 'failed'; readonly error: ErrorData }
  | { readonly kind: 'skipped'; readonly reason: string }

export type JobKind = JobState['kind']

export const JOB_KINDS: readonly JobKind[] = ['queued', 'resolving', 'downloading', 'paused', 'done', 'failed', 'skipped']

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}
