import type { ExportTable } from './export-table.ts'
import type { ExportHeaderEvent, JournalEvent, SourceInfo } from './journal-events.ts'
import type { NewExport } from './open-export.ts'
import { compactedJournal } from './compacted-journal.ts'
import { isListedSource } from './listing.ts'

type Connection = Pick<ExportHeaderEvent, 'instanceId' | 'region' | 'endpoint' | 'profile'>

/** The same instance, region, endpoint and profile (an absent one equals an absent one). */
export function sameConnection(a: Connection, b: Connection): boolean {
  return a.instanceId === b.instanceId && a.region === b.region && a.endpoint === b.endpoint && a.profile === b.profile
}

/** The same API generation and recording kind: another names other files (issue 14). */
export function sameGeneration(a: SourceInfo, b: SourceInfo): boolean {
  return a.api === b.api && a.recording === b.recording
}

/** `source` with the generation and recording kind of `like`: to compare what else differs. */
export function withGenerationOf(source: SourceInfo, like: SourceInfo): SourceInfo {
  const { api: _api, recording: _recording, ...rest } = source
  return { ...rest, ...(like.api === undefined ? {} : { api: like.api }), ...(like.recording === undefined ? {} : { recording: like.recording }) } as SourceInfo
}

/** How a user knows a generation: in messages. */
export function generationName(source: SourceInfo): string {
  return source.api === undefined ? 'CCC 1.0 (API 2017-07-05)' : `CCC 2.0 (API ${source.api}, ${source.recording ?? 'mono'} recordings)`
}

/**
 * The journal of an export with nothing downloaded, bound to a corrected connection: the header
 * takes `init`'s instance, region, endpoint, profile and options (its id and start stay), the
 * names and contact IDs stay, and what the old settings produced goes: failures (they are tried
 * again) and the listing's cursor (it lists again, with the right instance). Another API
 * generation or recording kind takes `init`'s source too, and what the old one listed goes with
 * it (its names are another generation's); a names list keeps its names, which are the user's.
 * Plain events, so any build replays it.
 */
export function* rebound(table: ExportTable, init: NewExport): Generator<JournalEvent> {
  const old = table.header!
  const regenerated = !sameGeneration(old.source, init.source)
  const header: ExportHeaderEvent = {
    type: 'export',
    version: 1,
    id: old.id,
    createdAt: old.createdAt,
    instanceId: init.instanceId,
    ...(init.region === undefined ? {} : { region: init.region }),
    ...(init.endpoint === undefined ? {} : { endpoint: init.endpoint }),
    ...(init.profile === undefined ? {} : { profile: init.profile }),
    source: regenerated ? init.source : old.source,
    options: init.options,
  }
  yield header
  const relist = regenerated && isListedSource(old.source)
  for (const event of compactedJournal(table)) {
    if (relist && event.type !== 'contacts') continue
    if (event.type !== 'export' && event.type !== 'fail' && event.type !== 'listed') yield event
  }
}
