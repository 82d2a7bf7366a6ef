import { expect } from 'vitest'
import type { Sim } from './sim/index.ts'
import { callOf, journalDone, manifestRows } from './export-output.ts'

/**
 * Issue 14's week for the CLI's and the app's tests alike: more than 10,000 CCC 2.0 calls over
 * seven days, one in ten ready (the listing has over 10,000 calls to page through, the downloads
 * stay around a thousand tiny files), and of those one in a hundred in archive storage.
 */

export const DAY = 24 * 60 * 60 * 1000
export const TOTAL = 10_250

export interface WeekOptions {
  /** The week's first moment (ms). */
  readonly start: number
  /** Call i is ready when i % 10 is this, and archived too when i % 1000 is. */
  readonly ready: number
  readonly idOf: (i: number) => string
  /** Agents differ from call to call, so a manifest row can only carry its own call's name by being right. */
  readonly agentOf: (i: number) => string
}

export interface Week {
  /** The week's first moment and the one after its last, as ISO text. */
  readonly from: string
  readonly to: string
  readonly idOf: (i: number) => string
  readonly ids: readonly string[]
  readonly ready: readonly string[]
  readonly notReady: readonly string[]
  readonly archived: readonly string[]
  /** The ready calls' recordings, as the export names them. */
  readonly readyFiles: ReadonlySet<string>
  /** Each call into `sim`, with one recording `<id>-leg.wav`; not-ready calls marked so. */
  addTo(sim: Sim): void
  /** Every archived call (back) in archive storage: an export must restore it itself. */
  archiveIn(sim: Sim): void
  /** The manifest has a row for each ready call and only those, each with its own call's contact ID, start, agent and direction. */
  expectManifest(out: string): Promise<void>
}

export function weekOfCalls(options: WeekOptions): Week {
  const { start, idOf, agentOf } = options
  const isReady = (i: number) => i % 10 === options.ready
  const isArchived = (i: number) => i % 1000 === options.ready
  const startOf = (i: number) => start + Math.floor((i * 7 * DAY) / TOTAL)
  const ids = Array.from({ length: TOTAL }, (_, i) => idOf(i))
  const ready = ids.filter((_, i) => isReady(i))
  const archived = ids.filter((_, i) => isArchived(i))
  return {
    from: new Date(start).toISOString(),
    to: new Date(start + 7 * DAY).toISOString(),
    idOf,
    ids,
    ready,
    notReady: ids.filter((_, i) => !isReady(i)),
    archived,
    readyFiles: new Set(ready.map((id) => `${id}.wav`)),
    addTo(sim) {
      for (let i = 0; i < TOTAL; i++) {
        const id = idOf(i)
        sim.addCall({ contactId: id, startTime: startOf(i), recordings: [`${id}-leg.wav`], notReady: !isReady(i), agentName: agentOf(i) })
      }
    },
    archiveIn(sim) {
      archived.forEach((id) => sim.archive(id, { polls: 0 }))
    },
    async expectManifest(out) {
      // Each ready call's own metadata, from the listing, in its row: contact ID, start, agent, direction.
      const rows = await manifestRows(out)
      expect(rows.size).toBe(ready.length)
      for (let i = 0; i < TOTAL; i++) {
        if (!isReady(i)) continue
        const row = rows.get(`${idOf(i)}.wav`)
        expect(row, idOf(i)).toBeDefined()
        expect(callOf(row!), idOf(i)).toEqual({
          contact: idOf(i),
          start: startOf(i),
          agent: agentOf(i),
          direction: 'Inbound',
        })
      }
    },
  }
}

/**
 * Calls `stop` once, when the journal of `out` holds `count` files done: judged on what the journal
 * holds, not on what the server sent. Each body the simulator sends is a moment to read the journal
 * again, one read at a time. Returns what `stop` returned (undefined until then) and the detach.
 */
export function stopWhenJournalled<T>(sim: Sim, out: string, count: number, stop: () => T): { stopped(): T | undefined; detach(): void } {
  let reading = false
  let stopped: { value: T } | undefined
  const onBody = () => {
    if (reading || stopped) return
    reading = true
    void journalDone(out).then((names) => {
      reading = false
      if (names.length >= count && !stopped) stopped = { value: stop() }
    })
  }
  sim.events.on('body', onBody)
  return { stopped: () => stopped?.value, detach: () => void sim.events.off('body', onBody) }
}
