import type { ExportTable } from './export-table.ts'
import type { ExportHeaderEvent, JournalEvent } from './journal-events.ts'
import type { NewExport } from './open-export.ts'
import { compactedJournal } from './compacted-journal.ts'

type Connection = Pick<ExportHeaderEvent, 'instanceId' | 'region' | 'endpoint' | 'profile'>

/** The same instance, region, endpoint and profile (an absent one equals an absent one). */
export function sameConnection(a: Connection, b: Connection): boolean {
  return a.instanceId === b.instanceId && a.region === b.region && a.endpoint === b.endpoint && a.profile === b.profile
}

/**
 * The journal of an export with nothing downloaded, bound to a corrected connection: the header
 * takes `init`'s instance, region, endpoint, profile and options (its id and start stay), the
 * names and contact IDs stay, and what the old settings produced goes: failures (they are tried
 * again) and the listing's cursor (it lists again, with the right instance). Plain events, so any
 * build replays it.
 */
export function* rebound(table: ExportTable, init: NewExport): Generator<JournalEvent> {
  const old = table.header!
  const header: ExportHeaderEvent = {
    type: 'export',
    version: 1,
    id: old.id,
    createdAt: old.createdAt,
    instanceId: init.instanceId,
    ...(init.region === undefined ? {} : { region: init.region }),
    ...(init.endpoint === undefined ? {} : { endpoint: init.endpoint }),
    ...(init.profile === undefined ? {} : { profile: init.profile }),
    source: old.source,
    options: init.options,
  }
  yield header
  for (const event of compactedJournal(table)) {
    if (event.type !== 'export' && event.type !== 'fail' && event.type !== 'listed') yield event
  }
}
