import { JOURNAL_BATCH } from '../../common/export-options.ts'
import type { ExportTable } from './export-table.ts'
import type { AddEvent, JournalEvent } from './journal-events.ts'

/**
 * The shortest journal that replays to the same table: the header, the names in order, and
 * each file's final state. Written when retries and superseded lines have piled up, and when an
 * export is bound to new settings (rebind.ts).
 */
export function* compactedJournal(table: ExportTable): Generator<JournalEvent> {
  if (table.header) yield table.header
  yield* table.listing.compacted()
  let names: string[] = []
  let starts: (number | null)[] = []
  let paths: (string | null)[] = []
  let anyStart = false
  let anyPath = false
  const batch = (): AddEvent => ({ type: 'add', names, ...(anyStart ? { startTimes: starts } : {}), ...(anyPath ? { paths } : {}) })
  for (const [name, entry] of table.files) {
    names.push(name)
    starts.push(entry.startTime ?? null)
    anyStart ||= entry.startTime !== undefined
    // A finished file's path is in its done line; an unfinished one's planned path is only here.
    const planned = entry.state === 'done' ? null : (entry.path ?? null)
    paths.push(planned)
    anyPath ||= planned !== null
    if (names.length === JOURNAL_BATCH) {
      yield batch()
      names = []
      starts = []
      paths = []
      anyStart = false
      anyPath = false
    }
  }
  if (names.length > 0) yield batch()
  for (const [name, entry] of table.files) {
    // Written once and not done now (found changed or missing, and queued again): the file at its
    // path is still the export's own to replace (file-job.ts), which only this line remembers.
    if (entry.wrote && entry.state !== 'done') yield { type: 'recheck', names: [name], reason: 'changed' }
    if (entry.state === 'done') {
      const by = entry.verifiedBy ? { by: entry.verifiedBy } : {}
      yield { type: 'done', name, bytes: entry.bytes, path: entry.path ?? name, attempts: entry.attempts, ...(entry.crc64 ? { crc64: entry.crc64 } : {}), ...by }
    } else if (entry.state === 'failed' && entry.error) {
      const e = entry.error
      yield { type: 'fail', name, code: e.code, message: e.message, attempts: entry.attempts, ...(e.status === undefined ? {} : { status: e.status }), ...(e.requestId === undefined ? {} : { requestId: e.requestId }) }
    } else if (entry.state === 'skipped') {
      yield { type: 'skip', name, reason: entry.error?.message ?? '' }
    } else if (entry.state === 'restoring') {
      yield { type: 'restore', names: [name] }
    }
  }
}
