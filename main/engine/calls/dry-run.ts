import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { API_V2 } from '../../common/api-version.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import { type Clock, realClock } from '../clock.ts'
import { AdaptiveRate } from '../export/api-rate.ts'
import { csvLine, UTF8_BOM } from '../export/csv-write.ts'
import type { SourceInfo } from '../export/journal-events.ts'
import { runListing } from '../export/listing.ts'
import { runListingV2 } from '../export/listing-v2.ts'
import { ListingState } from '../export/listing-state.ts'
import { type Logger, silentLogger } from '../log.ts'
import { candidatePath } from '../naming/export-names.ts'
import { LocalNamer } from '../naming/local-namer.ts'
import type { RecordingMeta } from './call.ts'
import { plannedPaths } from './export-outputs.ts'
import { FILTERED } from './filters.ts'
import { DRY_RUN_FILE } from './folder-walk.ts'
import { isoInZone } from './zoned-time.ts'

/**
 * `--dry-run` (issue 13): the source listed and every file named as the export would, nothing
 * downloaded and no export started in the folder; `dry-run.csv` says what would be fetched.
 */

/** 8 kHz, 16-bit mono PCM: what CCC records (a WAV's size from its duration). */
export const BYTES_PER_SECOND = 16_000

export interface PlannedRecording {
  readonly fileName: string
  readonly localPath: string
  readonly meta: RecordingMeta
}

export interface DryRun {
  readonly recordings: readonly PlannedRecording[]
  /** Distinct contact IDs among them (recordings with none count one call each). */
  readonly calls: number
  /** From the durations the source gave; null when none gave one. */
  readonly estimatedBytes: number | null
  /** Left out, by the filter's name. */
  readonly removed: Readonly<Record<string, number>>
  /** Listed calls or contacts without a recording. */
  readonly unrecorded: number
  /** Contacts (or calls) whose lookup the service refused, by its code: a typo'd ID is not a call without a recording. */
  readonly refused: Readonly<Record<string, number>>
}

export interface Listed {
  readonly names: string[]
  readonly starts: (number | null)[]
  readonly metas: RecordingMeta[]
  readonly removed: Record<string, number>
  unrecorded: number
  readonly refused: Record<string, number>
}

/** A contacts or date-range source listed in memory, as the export would list it. */
export async function listInMemory(
  source: SourceInfo,
  contactIds: readonly string[],
  rpc: RpcCaller,
  instanceId: string,
  deps: { clock?: Clock; log?: Logger; signal?: AbortSignal; limit?: number; maxPages?: number } = {},
): Promise<Listed> {
  const state = new ListingState()
  state.addContacts(contactIds)
  const out: Listed = { names: [], starts: [], metas: [], removed: {}, unrecorded: 0, refused: {} }
  const clock = deps.clock ?? realClock
  // The source's generation picks the listing, as an export's header does (listing-run.ts).
  const list = source.api === API_V2 ? runListingV2 : runListing
  // `limit`, `maxPages`: the first recordings only (a preview's names), the listing stopped once
  // it has them or has asked that many pages.
  const enough = new AbortController()
  const signal = deps.signal ? AbortSignal.any([deps.signal, enough.signal]) : enough.signal
  const listing = list({
    rpc,
    instanceId,
    source,
    state,
    api: { rate: new AdaptiveRate(clock), clock, log: deps.log ?? silentLogger },
    signal,
    log: deps.log ?? silentLogger,
    add: (names, starts, metas) => {
      out.names.push(...names)
      out.starts.push(...starts)
      out.metas.push(...metas)
      if (deps.limit !== undefined && out.names.length >= deps.limit) enough.abort()
    },
    note: (_key, reason) => {
      if (reason.startsWith(FILTERED)) {
        const by = reason.slice(FILTERED.length + 1)
        out.removed[by] = (out.removed[by] ?? 0) + 1
      } else out.unrecorded++
    },
    refuse: (_key, error) => {
      out.refused[error.code] = (out.refused[error.code] ?? 0) + 1
    },
    commit: async (event) => {
      state.apply(event)
      // A preview's pages: a filter that keeps few calls must not walk a whole quarter.
      if (deps.maxPages !== undefined && state.pages >= deps.maxPages) enough.abort()
    },
  })
  try {
    await listing
  } catch (e) {
    if (!enough.signal.aborted || deps.signal?.aborted) throw e
  }
  if (deps.limit !== undefined && out.names.length > deps.limit) {
    out.names.length = deps.limit
    out.starts.length = deps.limit
    out.metas.length = deps.limit
  }
  return out
}

/** Names every listed recording as the export would (template or layout, then made unique). */
export function planNames(options: ExportOptions, listed: Pick<Listed, 'names' | 'starts' | 'metas' | 'removed' | 'unrecorded'> & { readonly refused?: Readonly<Record<string, number>> }): DryRun {
  const paths = plannedPaths(options, listed.names, listed.starts, listed.metas)
  const namer = new LocalNamer()
  const recordings: PlannedRecording[] = []
  const contacts = new Set<string>()
  let seconds = 0
  let timed = 0
  listed.names.forEach((fileName, i) => {
    if (namer.pathOf(fileName) !== undefined) return
    const meta = listed.metas[i] ?? {}
    const start = listed.starts[i] ?? undefined
    let localPath: string
    try {
      localPath = namer.assign(fileName, paths?.[i] ?? candidatePath(fileName, options.layout, start ?? undefined))
    } catch {
      localPath = ''
    }
    recordings.push({ fileName, localPath, meta: meta.start === undefined && start !== undefined ? { ...meta, start } : meta })
    contacts.add(meta.contactId ?? `\u0000${fileName}`)
    const d = meta.duration ?? meta.callDuration
    if (d !== undefined) {
      seconds += d
      timed++
    }
  })
  return { recordings, calls: contacts.size, estimatedBytes: timed > 0 ? Math.round(seconds * BYTES_PER_SECOND) : null, removed: listed.removed, unrecorded: listed.unrecorded, refused: listed.refused ?? {} }
}

/** `dry-run.csv` in `dir` (UTF-8 with BOM for Excel): one row per recording that would be fetched. */
export async function writeDryRun(dir: string, plan: DryRun, timeZone = 'Asia/Shanghai'): Promise<string> {
  const header = ['file_name', 'local_path', 'contact_id', 'start', 'agent', 'caller', 'callee', 'direction', 'duration_s', 'estimated_bytes']
  const lines = [csvLine(header)]
  for (const r of plan.recordings) {
    const m = r.meta
    const d = m.duration ?? m.callDuration
    const at = m.start ?? m.callStart
    const start = at === undefined ? '' : isoInZone(at, timeZone)
    lines.push(csvLine([r.fileName, r.localPath, m.contactId ?? '', start, m.agentName ?? m.agents?.[0]?.name ?? m.agentId ?? '', m.caller ?? '', m.callee ?? '', m.direction ?? '', d ?? '', d === undefined ? '' : Math.round(d * BYTES_PER_SECOND)]))
  }
  const path = join(dir, DRY_RUN_FILE)
  await writeFile(path, UTF8_BOM + lines.join(''))
  return path
}
