import type { ExportEntry, ExportEvent } from '../../main/common/api.ts'
import type { ExportOrigin } from '../../main/common/export-name.ts'
import type { ExportInfo, ExportProgress, ExportState, ExportStatus } from '../../main/common/progress.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

/** One export as the Queue page lists it: what it is, and its latest state. */
export interface ExportRow {
  readonly info: ExportInfo & { readonly origin?: ExportOrigin }
  readonly progress: ExportProgress
  /** Seen running in this session (started, resumed or progressing), not only read from History. */
  readonly session: boolean
}

type Control = 'pause' | 'resume' | 'cancel'

class ExportListStore {
  rows = $state.raw<readonly ExportRow[]>([])
  /** The export id (or 'all') whose control is being sent. */
  busy = $state<string | null>(null)
  error = $state.raw<UiError | null>(null)
}

export const exportList = new ExportListStore()

export function resetExports(): void {
  firstMoving.clear()
  exportList.rows = []
  exportList.busy = null
  exportList.error = null
}

const ENDED = new Set<ExportState>(['finished', 'cancelled'])

export function isMoving(state: ExportState | undefined): boolean {
  return state === 'listing' || state === 'running' || state === 'pausing'
}

/** A status (from History or a start) as the progress the page shows until events arrive. */
export function progressOfStatus(s: ExportStatus): ExportProgress {
  return { id: s.id, state: s.state, counts: s.counts, bytes: s.bytes, bytesPerSecond: 0, etaSeconds: null, failures: s.failures, ...(s.reason ? { reason: s.reason } : {}) }
}

function upsert(row: ExportRow): void {
  const i = exportList.rows.findIndex((r) => r.info.id === row.info.id)
  if (i === -1) {
    exportList.rows = [row, ...exportList.rows]
    return
  }
  const before = exportList.rows[i]!
  const next = [...exportList.rows]
  next[i] = { ...row, session: row.session || before.session, info: row.info.origin ? row.info : { ...row.info, ...(before.info.origin ? { origin: before.info.origin } : {}) } }
  exportList.rows = next
}

/** When each export was first seen moving in this session, and its bytes then: for elapsed time and average speed. */
const firstMoving = new Map<string, { at: number; bytes: number }>()

export function trackProgress(p: ExportEvent, now = Date.now()): void {
  const { export: info, ...progress } = p
  if (isMoving(progress.state) && !firstMoving.has(p.id)) firstMoving.set(p.id, { at: now, bytes: progress.bytes })
  upsert({ info, progress, session: true })
}

/** Seconds since this session first saw the export move, and the bytes a second over that time. */
export function runStats(id: string, bytes: number, now = Date.now()): { elapsed: number; average: number } | null {
  const first = firstMoving.get(id)
  if (first === undefined) return null
  const elapsed = Math.max(0, (now - first.at) / 1000)
  return { elapsed, average: elapsed > 0 ? Math.max(0, bytes - first.bytes) / elapsed : 0 }
}

/** A status read from History: it does not replace live progress, which is newer. */
export function trackStatus(s: ExportEntry, session: boolean): void {
  const known = exportList.rows.find((r) => r.info.id === s.id)
  if (known && known.session && !session) return
  upsert({ info: s, progress: progressOfStatus(s), session })
}

/** Every export of this session, and every unfinished one: what the Queue page lists. */
export function listedExports(): readonly ExportRow[] {
  return exportList.rows.filter((r) => r.session || !ENDED.has(r.progress.state))
}

export function rowOf(id: string): ExportRow | undefined {
  return exportList.rows.find((r) => r.info.id === id)
}

/** Files done (failed ones are not progress) and files in all, over the exports that are moving: the nav's and the tray's one number. */
export function overall(): { settled: number; total: number; moving: number } {
  let settled = 0
  let total = 0
  let moving = 0
  for (const r of exportList.rows) {
    if (!isMoving(r.progress.state)) continue
    const c = r.progress.counts
    settled += c.done + c.skipped
    total += c.total
    moving++
  }
  return { settled, total, moving }
}

async function send(key: string, action: () => Promise<unknown>): Promise<void> {
  exportList.busy = key
  exportList.error = null
  try {
    await action()
  } catch (e) {
    exportList.error = toUiError(e)
  } finally {
    exportList.busy = null
  }
}

export function controlExport(id: string, kind: Control): Promise<void> {
  return send(id, () => port()[`export:${kind}`]({ id }))
}

export const pauseAll = (): Promise<void> => send('all', () => port()['exports:pauseAll'](undefined))
/** Every paused export listed, this session's and History's alike (an export paused by a quit is one of these). */
export const resumeAll = (): Promise<void> =>
  send('all', async () => {
    const paused = listedExports().filter((r) => r.progress.state === 'paused')
    await Promise.all(paused.map((r) => port()['export:resume']({ id: r.info.id })))
  })
