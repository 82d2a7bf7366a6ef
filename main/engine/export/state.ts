import type { ErrorData } from '../../common/errors.ts'
import type { ExportState } from '../../common/progress.ts'

/**
 * The life of an export in this process, as a tagged union: the reason travels with the state that
 * has one, so a paused export cannot forget why, and a finished one cannot carry a stale reason.
 *
 *            ┌──────── run ────────┐
 *   idle ──► running ◄──► listing   │
 *              │  │  └─ pause/cancel ─► pausing ─► paused | cancelled
 *              │  └─ export-fatal ──► stopped
 *              └─ all settled ─────► finished
 *   paused | stopped | finished | cancelled ── run ──► running     finished ── retry ──► paused
 *   idle | paused | stopped ── cancel (nothing in flight) ──► cancelled
 */
export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'listing' }
  | { readonly kind: 'running' }
  | { readonly kind: 'pausing' }
  | { readonly kind: 'paused'; readonly reason?: ErrorData }
  | { readonly kind: 'finished' }
  | { readonly kind: 'stopped'; readonly reason: ErrorData }
  | { readonly kind: 'cancelled' }

export const idle: RunState = { kind: 'idle' }

/** Where each state may go next: the diagram above, as data. */
const NEXT: Readonly<Record<ExportState, readonly ExportState[]>> = {
  idle: ['running', 'cancelled'],
  running: ['listing', 'pausing', 'paused', 'stopped', 'finished', 'cancelled'],
  listing: ['running', 'pausing', 'paused', 'stopped', 'finished', 'cancelled'],
  pausing: ['paused', 'cancelled', 'stopped', 'pausing'],
  paused: ['running', 'cancelled'],
  stopped: ['running', 'cancelled'],
  // A retry of a finished export's failures leaves work to resume: paused, as its journal reads.
  finished: ['running', 'paused'],
  cancelled: ['running'],
}

export class IllegalTransition extends Error {
  constructor(from: ExportState, to: ExportState) {
    super(`an export cannot go from ${from} to ${to}`)
    this.name = 'IllegalTransition'
  }
}

export function canMove(from: ExportState, to: ExportState): boolean {
  return NEXT[from].includes(to)
}

/** The next state, or IllegalTransition: a bug in the runner, never a user's doing. */
export function move(from: RunState, to: RunState): RunState {
  if (!canMove(from.kind, to.kind)) throw new IllegalTransition(from.kind, to.kind)
  return to
}

/** A state in which nothing runs and the journal is final until the next run. */
export function isSettled(state: RunState): boolean {
  return state.kind === 'paused' || state.kind === 'finished' || state.kind === 'stopped' || state.kind === 'cancelled'
}

export function reasonOf(state: RunState): ErrorData | undefined {
  return state.kind === 'paused' || state.kind === 'stopped' ? state.reason : undefined
}

/** How a run that is being stopped ends: the first request wins, except that a pause may be overruled. */
export type StopRequest = { readonly kind: 'paused'; readonly reason?: ErrorData } | { readonly kind: 'stopped'; readonly reason: ErrorData } | { readonly kind: 'cancelled' }

export function settledBy(stop: StopRequest | undefined): RunState {
  return stop ?? { kind: 'finished' }
}
