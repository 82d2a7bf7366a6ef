import { describe, expect, it } from 'vitest'
import type { ExportState } from '../../../main/common/progress.ts'
import { canMove, IllegalTransition, isSettled, move, reasonOf, type RunState, settledBy } from '../../../main/engine/export/state.ts'

const reason = { code: 'DiskFull', message: 'No space left on the output disk' }
const ALL: ExportState[] = ['idle', 'listing', 'running', 'pausing', 'paused', 'finished', 'stopped', 'cancelled']

describe('export state', () => {
  it('lets every settled export run again, and nothing run that is already running', () => {
    for (const from of ['idle', 'paused', 'stopped', 'finished', 'cancelled'] as const) expect(canMove(from, 'running'), from).toBe(true)
    for (const from of ['running', 'pausing'] as const) expect(canMove(from, 'running'), from).toBe(false)
    // The listing ends and the run goes on.
    expect(canMove('listing', 'running')).toBe(true)
  })

  it('ends a run only from running, listing or pausing', () => {
    for (const to of ['finished', 'stopped'] as const) {
      const from = ALL.filter((s) => canMove(s, to))
      expect(from.sort(), to).toEqual(to === 'finished' ? ['listing', 'running'] : ['listing', 'pausing', 'running'])
    }
  })

  it('refuses an impossible move with the two states named', () => {
    expect(() => move({ kind: 'finished' }, { kind: 'stopped', reason })).toThrow(IllegalTransition)
    expect(() => move({ kind: 'idle' }, { kind: 'finished' })).toThrow('an export cannot go from idle to finished')
    expect(move({ kind: 'running' }, { kind: 'paused', reason })).toEqual({ kind: 'paused', reason })
  })

  it('keeps the reason with the state that has one', () => {
    const paused: RunState = { kind: 'paused', reason }
    expect(reasonOf(paused)).toEqual(reason)
    expect(reasonOf({ kind: 'stopped', reason })).toEqual(reason)
    expect(reasonOf({ kind: 'finished' })).toBeUndefined()
    expect(isSettled(paused)).toBe(true)
    expect(isSettled({ kind: 'pausing' })).toBe(false)
    expect(settledBy(undefined)).toEqual({ kind: 'finished' })
    expect(settledBy({ kind: 'cancelled' })).toEqual({ kind: 'cancelled' })
  })
})
