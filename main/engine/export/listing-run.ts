import { API_V2 } from '../../common/api-version.ts'
import type { ErrorData } from '../../common/errors.ts'
import type { RecordingMeta } from '../calls/call.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import { toCccError } from '../errno.ts'
import type { Logger } from '../log.ts'
import type { ApiPolicy } from './api-retry.ts'
import { decide } from './decide.ts'
import type { ExportHeaderEvent, ListedEvent, SourceEvent, SourceInfo } from './journal-events.ts'
import type { ExportTable } from './export-table.ts'
import type { Ledger } from './ledger.ts'
import { isListedSource, listingDone, runListing } from './listing.ts'
import type { ListingState } from './listing-state.ts'
import { isListingRow } from './listing-rows.ts'
import { looksUpAgain } from './listing-step.ts'
import { runListingV2 } from './listing-v2.ts'
import type { StopRequest } from './state.ts'

export interface ListingRunContext {
  readonly header: ExportHeaderEvent
  readonly ledger: Ledger
  readonly rpc: RpcCaller | undefined
  readonly api: ApiPolicy
  readonly signal: AbortSignal
  readonly log: Logger
  /** New names, through the runner: the feed may be waiting for them. */
  add(names: readonly string[], startTimes: readonly (number | null)[], metas?: readonly (RecordingMeta | undefined)[]): void
  /** Names the filter left out before that the listing keeps now (a call's details changed since): queued after all. */
  takeBack(names: readonly string[]): void
  /** A recording the filter leaves out, with its call (ExportRunner.leaveOut); true when it was new to the export. */
  leaveOut(name: string, reason: string, call: { readonly start: number | null; readonly meta: RecordingMeta }): boolean
  stop(request: StopRequest): void
}

/**
 * Runs the listing of a contacts or date-range export beside the downloads: each listed page
 * feeds the queue at once. Never rejects: resolves with nothing when it finished or was aborted,
 * or with the error that left it unfinished (the export then pauses at its cursor once what was
 * found is downloaded). An export-fatal or pausing error stops the run through `stop` at once.
 */
export async function runListingBeside(ctx: ListingRunContext): Promise<ErrorData | undefined> {
  const { header, ledger } = ctx
  if (listingDone(header.source, ledger.table.listing)) return undefined
  if (!ctx.rpc) {
    // A wiring mistake, not the user's: still an ending the caller can show, not a hang.
    return { code: 'Unknown', message: 'this export lists its files, but the runner was given no RPC client (RunnerDeps.rpc)' }
  }
  try {
    // The header's generation picks the listing (issue 14); journals from before 2.0 have none.
    const list = header.source.api === API_V2 ? runListingV2 : runListing
    await list({
      rpc: ctx.rpc,
      instanceId: header.instanceId,
      source: header.source,
      state: ledger.table.listing,
      api: ctx.api,
      signal: ctx.signal,
      log: ctx.log,
      add: (names, startTimes, metas) => {
        ctx.add(names, startTimes, metas)
        ctx.takeBack(names)
      },
      note: (key, reason, start) => {
        // A file the export has already (a call's agent renamed since, its filter left it out now)
        // stays as it is: a verified recording must not leave the manifest. A lookup that failed
        // before and answers now (no recording) takes its new row.
        const known = ledger.table.files.get(key)
        if (known && known.state !== 'skipped' && !(isListingRow(key) && (known.state === 'failed' || known.state === 'queued'))) return
        if (ledger.skip(key, reason, start)) ctx.log.info(`${key}: ${reason}`)
      },
      refuse: (key, error) => {
        if (ledger.failRow(key, error)) ctx.log.warn(`${key}: ${error.message}`)
      },
      leaveOut: (name, meta, start, reason) => {
        if (ctx.leaveOut(name, reason, { start, meta })) ctx.log.info(`${name}: ${reason}`)
      },
      commit: (event) => ledger.listed(event),
      drop: (keys) => void ledger.drop(keys),
      awaitsRecording: (contactId) => looksUpAgain(ledger.table, contactId),
    })
    return undefined
  } catch (e) {
    if (ctx.signal.aborted) return undefined
    const error = toCccError(e)
    ctx.log.error(`listing stopped: ${error.code}: ${error.message}`)
    // The listing's API calls had their retries: what is left is to stop, pause or wait for a rerun.
    const decision = decide(error, Number.POSITIVE_INFINITY)
    if (decision.kind === 'stop') ctx.stop({ kind: 'stopped', reason: error.toData() })
    else if (decision.kind === 'pause') ctx.stop({ kind: 'paused', reason: error.toData() })
    else return error.toData()
    return undefined
  }
}

/**
 * The step that starts a finished date range's listing again from its first window, for a run of
 * the same range into the same folder; undefined when the export is not a date range or its
 * listing has not finished (a run then continues it where it was).
 */
export function relistEvent(source: SourceInfo, listing: ListingState): ListedEvent | undefined {
  if (source.kind !== 'range' || !listingDone(source, listing)) return undefined
  return { type: 'listed', next: { at: Date.parse(source.from), page: 1 }, pages: 0, found: 0, unrecorded: 0 }
}

/**
 * The same range asked again with a later end (sameSource allows one second: a folder the app made
 * when it ended a day at 23:59:59, asked for now with the next midnight): the window that lists it
 * to that end, from its start when its listing had finished (as a relist would) or from where it
 * stands. Undefined when the end asked is not later.
 */
export function laterEndWindow(source: SourceInfo, listing: ListingState, asked: SourceInfo): ListingWindow | undefined {
  if (source.kind !== 'range' || asked.kind !== 'range' || !(Date.parse(asked.to) > Date.parse(source.to))) return undefined
  const next = listing.next
  const from = !listingDone(source, listing) && next && 'at' in next ? next.at : Date.parse(source.from)
  return { from, to: asked.to }
}

/** The journal steps of `ExportRunner.relist`: a finished range from its start, or (with a window) moved on. */
export function relistSteps(source: SourceInfo, listing: ListingState, window: ListingWindow | undefined): (SourceEvent | ListedEvent)[] {
  const steps = window ? extendEvents(source, listing, window) : relistEvent(source, listing)
  return steps === undefined ? [] : Array.isArray(steps) ? steps : [steps]
}

/** Where a sync lists next: from `from` (an overlap before the last end) to the range's new end `to`. */
export interface ListingWindow {
  readonly from: number
  readonly to: string
}

/**
 * The steps that move a date range on to a later end and list it again from `window.from`,
 * finished or not (`sync`): what was listed before is known by name and not added twice. The
 * counts go on, so they still say what the export's listing found in all. Undefined when the
 * export is not a date range, or the window does not fit in it.
 */
export function extendEvents(source: SourceInfo, listing: ListingState, window: ListingWindow): [SourceEvent, ListedEvent] | undefined {
  if (source.kind !== 'range') return undefined
  const to = Date.parse(window.to)
  if (!(to >= Date.parse(source.from)) || window.from > to) return undefined
  const at = Math.max(Date.parse(source.from), Math.floor(window.from))
  return [
    { type: 'source', source: { ...source, to: window.to } },
    { type: 'listed', next: { at, page: 1 }, pages: listing.pages, found: listing.found, unrecorded: listing.unrecorded },
  ]
}

export interface ListingCounts {
  readonly pages: number
  readonly found: number
  readonly unrecorded: number
  /** Recordings the filters left out. */
  readonly leftOut: number
  readonly done: boolean
}

/** Pages or contacts answered, recordings found, contacts or calls without a recording (listed exports only). */
export function listingCounts(source: SourceInfo, table: ExportTable): ListingCounts | undefined {
  if (!isListedSource(source)) return undefined
  const l = table.listing
  return { pages: l.pages, ...table.listed, done: listingDone(source, l) }
}
