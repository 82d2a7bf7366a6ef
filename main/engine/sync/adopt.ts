import type { ExportHeaderEvent } from '../export/journal-events.ts'
import { DEFAULT_MARGIN_MS, DEFAULT_OVERLAP_MS, type SyncSettings } from './sync-settings.ts'

/**
 * A folder that already holds a date-range export becomes a sync from its journal header: its
 * profile, instance, range filters, naming and recording options, from the range's start, with
 * no window complete yet (the first run lists the range again; the journal skips what is on
 * disk). What `sync <dir>` writes when it adopts a folder, and what the app's "Keep this folder
 * in sync nightly" writes. Undefined when the export is not of a date range.
 */
export function adoptExport(
  header: ExportHeaderEvent,
  more: { readonly overlapMs?: number; readonly marginMs?: number; readonly retentionDays?: number } = {},
): SyncSettings | undefined {
  const s = header.source
  if (s.kind !== 'range') return undefined
  const { kind: _kind, from, to: _to, ...filters } = s
  const { instanceId, region, endpoint, profile } = header
  const connection = { instanceId, ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(profile ? { profile } : {}) }
  return {
    version: 1,
    connection,
    filters,
    options: header.options,
    since: from,
    mark: null,
    overlapMs: more.overlapMs ?? DEFAULT_OVERLAP_MS,
    marginMs: more.marginMs ?? DEFAULT_MARGIN_MS,
    ...(more.retentionDays === undefined ? {} : { retentionDays: more.retentionDays }),
  }
}
