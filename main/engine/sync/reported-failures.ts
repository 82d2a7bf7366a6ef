import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { replaceFile } from '../atomic-file.ts'
import { STATE_DIR } from '../export/journal.ts'

/**
 * The failed rows a finished sync night had in its exit code and notice, by name: the next nights
 * report only the others. A night that was stopped, paused or killed writes none, so what it found
 * is reported by the next night that finishes, and what earlier nights reported is not again.
 */
export const REPORTED_FILE = 'sync-reported.json'

const reportedPath = (dir: string): string => join(dir, STATE_DIR, REPORTED_FILE)

/** Undefined when there is no record (a folder synced by an older build) or it cannot be read: the caller falls back. */
export async function readReportedFailures(dir: string): Promise<ReadonlySet<string> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(reportedPath(dir), 'utf8'))
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined
    return new Set(value as string[])
  } catch {
    return undefined
  }
}

export async function writeReportedFailures(dir: string, names: readonly string[]): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await replaceFile(reportedPath(dir), [`${JSON.stringify(names)}\n`])
}
