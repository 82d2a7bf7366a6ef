/**
 * The life of one file in an export. `paused` keeps the bytes already in `<name>.part`; the
 * engine's table holds the rest of a file's state (bytes, error, path) beside its kind.
 */
export type JobKind = 'queued' | 'resolving' | 'downloading' | 'paused' | 'done' | 'failed' | 'skipped'

export const JOB_KINDS: readonly JobKind[] = ['queued', 'resolving', 'downloading', 'paused', 'done', 'failed', 'skipped']
