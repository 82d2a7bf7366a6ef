import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { STATE_DIR } from '../export/journal.ts'
import { replaceFile } from '../atomic-file.ts'

export const VERIFIED_FILE = 'verified.json'

/** The outcome of the last `verify` of a folder, so `status` and History can say when and how it went. */
export interface LastVerified {
  /** ISO time the check finished. */
  readonly at: string
  readonly ok: boolean
  /** Manifest entries checked. */
  readonly files: number
  readonly missing: number
  readonly changed: number
  readonly unexpected: number
  /** The export's own files it had not recorded as verified when it stopped; absent when none (and in older records). */
  readonly unrecorded?: number
}

export async function recordVerified(outDir: string, outcome: LastVerified): Promise<void> {
  await mkdir(join(outDir, STATE_DIR), { recursive: true })
  const { at, ok, files, missing, changed, unexpected, unrecorded } = outcome
  const record = { at, ok, files, missing, changed, unexpected, ...(unrecorded ? { unrecorded } : {}) }
  await replaceFile(join(outDir, STATE_DIR, VERIFIED_FILE), [`${JSON.stringify(record)}\n`])
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/** The last recorded outcome, or undefined when the folder was never verified (or the record is unreadable). */
export async function readLastVerified(outDir: string): Promise<LastVerified | undefined> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(join(outDir, STATE_DIR, VERIFIED_FILE), 'utf8'))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at)) || typeof v.ok !== 'boolean') return undefined
  if (!count(v.files) || !count(v.missing) || !count(v.changed) || !count(v.unexpected)) return undefined
  const unrecorded = count(v.unrecorded) && v.unrecorded > 0 ? { unrecorded: v.unrecorded } : {}
  return { at: v.at, ok: v.ok, files: v.files, missing: v.missing, changed: v.changed, unexpected: v.unexpected, ...unrecorded }
}
