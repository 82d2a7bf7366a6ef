import type { ExportEvent, FileRow } from '../../main/common/api.ts'
import type { ExportOrigin } from '../../main/common/export-name.ts'
import type { JobKind } from '../../main/common/job.ts'
import type { ExportInfo, ExportProgress, ExportState, ExportStatus } from '../../main/common/progress.ts'
import { windowsFor, type RowRange } from '../lib/virtual.ts'
import { go } from './app.svelte.ts'
import { closeDetail, fileView } from './file-view.svelte.ts'
import { rowOf, trackStatus } from './exports.svelte.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

/** Rows per `export:files` call: a screenful or two, so scrolling fetches little and rarely. */
export const FILE_WINDOW = 100

export interface FileFilter {
  readonly state?: JobKind
  readonly code?: string
  /** Part of a file name: the way to one file among a million. */
  readonly search?: string
  readonly sort?: 'name' | 'size' | 'state'
}

export type QueueNotice =
  | { readonly kind: 'retried'; readonly code: string; readonly count: number }
  | { readonly kind: 'saved'; readonly code: string; readonly path: string }
  /** A start into a folder whose export names its files otherwise: it kept `how` (a template, or a layout). */
  | { readonly kind: 'namingKept'; readonly how: string }

type Control = 'pause' | 'resume' | 'cancel'

class QueueStore {
  id = $state<string | null>(null)
  summary = $state.raw<ExportStatus | null>(null)
  /** Which export this is (its folder, report): from its status or from any progress event. */
  info = $state.raw<(ExportInfo & { readonly origin?: ExportOrigin }) | null>(null)
  progress = $state.raw<ExportProgress | null>(null)
  filter = $state.raw<FileFilter>({})
  /** Rows matching the filter, as `export:files` last reported. */
  total = $state(0)
  /** Fetched windows by index; only those covering the visible rows are kept. */
  windows = $state.raw<ReadonlyMap<number, readonly FileRow[]>>(new Map())
  busy = $state<Control | null>(null)
  groupBusy = $state<string | null>(null)
  error = $state.raw<UiError | null>(null)
  notice = $state.raw<QueueNotice | null>(null)
}

export const queue = new QueueStore()

// Fetch bookkeeping, deliberately not reactive: it never renders.
let visible: RowRange = { start: 0, end: 0 }
let generation = 0
let fetching = false
let again = false
let stale = false

export function resetQueue(): void {
  queue.id = null
  queue.summary = null
  queue.info = null
  queue.progress = null
  queue.filter = {}
  queue.total = 0
  queue.windows = new Map()
  queue.busy = null
  queue.groupBusy = null
  queue.error = null
  queue.notice = null
  closeDetail()
  visible = { start: 0, end: 0 }
  generation++
  fetching = false
  again = false
  stale = false
}

/** The export's state as the UI shows it: the last progress event, else its summary. */
export function snapshot(): ExportProgress | null {
  if (queue.progress !== null) return queue.progress
  const s = queue.summary
  if (s === null) return null
  return { id: s.id, state: s.state, counts: s.counts, bytes: s.bytes, bytesPerSecond: 0, etaSeconds: null, failures: s.failures, ...(s.reason ? { reason: s.reason } : {}) }
}

export function isActive(state: ExportState | undefined): boolean {
  return state === 'listing' || state === 'running' || state === 'pausing'
}

function attachId(id: string, summary: ExportStatus | null): void {
  if (queue.id !== id) {
    resetQueue()
    queue.id = id
  }
  if (summary !== null) {
    queue.summary = summary
    queue.info = summary
  }
}

export function attach(summary: ExportStatus): void {
  trackStatus(summary, true)
  attachId(summary.id, summary)
  queue.total = summary.counts.total
  void refreshFiles()
}

/**
 * Progress for the export on screen updates it; progress for another one, when none is on screen,
 * means main resumed an export by itself (after a quit mid-export), so the queue follows it.
 */
export function onProgress(p: ExportEvent): void {
  if (queue.id === null) attachId(p.id, null)
  if (queue.id !== p.id) return
  queue.progress = p
  queue.info = p.export
  stale = true
  void refreshFiles()
}

/** From the Queue page's list: the detail view follows the chosen export, its latest progress at once. */
export function selectExport(id: string): void {
  const row = rowOf(id)
  if (row === undefined || queue.id === id) return
  attachId(id, null)
  queue.info = row.info
  queue.progress = row.progress
  queue.total = row.progress.counts.total
  void refreshFiles()
}

export function rowAt(index: number): FileRow | undefined {
  return queue.windows.get(Math.floor(index / FILE_WINDOW))?.[index % FILE_WINDOW]
}

export function setVisibleRange(range: RowRange): void {
  visible = range
  if (windowsFor(range, FILE_WINDOW).some((w) => !queue.windows.has(w))) void refreshFiles()
}

/** The rows on screen fetched again, where they are (a column was added: its values are not loaded yet). */
export function refetchFiles(): void {
  stale = true
  void refreshFiles()
}

export function setFilter(filter: FileFilter): void {
  queue.filter = filter
  queue.windows = new Map()
  visible = { start: 0, end: 0 }
  generation++
  void refreshFiles()
}

/**
 * One fetch at a time; whatever arrives meanwhile (scrolls, progress) sets `again`, so the list
 * is refreshed at the pace IPC answers, never more often than progress arrives.
 */
async function refreshFiles(): Promise<void> {
  if (fetching) {
    again = true
    return
  }
  fetching = true
  try {
    do {
      again = false
      const id = queue.id
      if (id === null) return
      const gen = generation
      const needed = windowsFor(visible, FILE_WINDOW)
      const wanted = stale ? needed : needed.filter((w) => !queue.windows.has(w))
      stale = false
      if (wanted.length === 0) continue
      const filter = Object.fromEntries(Object.entries(queue.filter).filter(([, v]) => v !== undefined && v !== ''))
      // The call columns cost a read of the metadata file per row: asked only while one is shown.
      const call = fileView.columns.length > 0 ? { call: true } : {}
      const replies = await Promise.all(wanted.map((w) => port()['export:files']({ id, offset: w * FILE_WINDOW, limit: FILE_WINDOW, ...filter, ...call })))
      if (gen !== generation) {
        again = true
        continue
      }
      const next = new Map<number, readonly FileRow[]>()
      for (const w of windowsFor(visible, FILE_WINDOW)) {
        const kept = queue.windows.get(w)
        if (kept !== undefined) next.set(w, kept)
      }
      wanted.forEach((w, i) => next.set(w, replies[i]?.rows ?? []))
      queue.windows = next
      const last = replies[replies.length - 1]
      if (last !== undefined) queue.total = last.total
    } while (again)
  } catch (e) {
    queue.error = toUiError(e)
  } finally {
    fetching = false
  }
}

async function control(kind: Control): Promise<void> {
  const id = queue.id
  if (id === null) return
  queue.busy = kind
  queue.error = null
  try {
    await port()[`export:${kind}`]({ id })
  } catch (e) {
    queue.error = toUiError(e)
  } finally {
    queue.busy = null
  }
}

export const pauseExport = (): Promise<void> => control('pause')
export const resumeCurrent = (): Promise<void> => control('resume')
export const cancelExport = (): Promise<void> => control('cancel')

/** From the history list: show a running export in the queue. */
export function showExport(summary: ExportStatus): void {
  if (queue.id !== summary.id) attach(summary)
  go('queue')
}

/** From the history list: show it in the queue and continue it. */
export async function resumeExport(summary: ExportStatus): Promise<void> {
  attach(summary)
  go('queue')
  await control('resume')
}

export function retryGroup(code: string): Promise<void> {
  return groupAction(code, async (id) => {
    const count = await port()['export:retryGroup']({ id, code })
    queue.notice = { kind: 'retried', code, count }
  })
}

/** Every failed file again, whatever its cause: the notice says how many went back to the queue. */
export function retryAllFailed(): Promise<void> {
  return groupAction('*', async (id) => {
    const count = await port()['export:retryFailed']({ id })
    queue.notice = { kind: 'retried', code: '*', count }
  })
}

export function saveGroup(code: string): Promise<void> {
  return groupAction(code, async (id) => {
    const path = await port()['export:saveGroup']({ id, code })
    if (path !== null) queue.notice = { kind: 'saved', code, path }
  })
}

/** One failure group's button at a time, its outcome shown as a notice or an error. */
async function groupAction(code: string, action: (id: string) => Promise<void>): Promise<void> {
  const id = queue.id
  if (id === null) return
  queue.groupBusy = code
  queue.error = null
  queue.notice = null
  try {
    await action(id)
  } catch (e) {
    queue.error = toUiError(e)
  } finally {
    queue.groupBusy = null
  }
}

async function shell(action: () => Promise<void>): Promise<void> {
  queue.error = null
  try {
    await action()
  } catch (e) {
    queue.error = toUiError(e)
  }
}

export const openPath = (path: string): Promise<void> => shell(() => port()['shell:openPath']({ path }))
export const revealPath = (path: string): Promise<void> => shell(() => port()['shell:reveal']({ path }))
