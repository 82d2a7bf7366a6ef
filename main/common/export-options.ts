/**
 * The one home of an export's tunable facts: defaults and bounds that the CLI's flags, the app's
 * settings, the IPC schemas and the engine all check against.
 */

/** How recordings are laid out under the output folder. */
export const LAYOUTS = ['flat', 'by-date'] as const
export type Layout = (typeof LAYOUTS)[number]

/** Transfers in flight per export (architecture.md, "Queue"). */
export const CONCURRENCY = { default: 6, min: 1, max: 64 } as const

export interface ExportOptions {
  readonly concurrency: number
  readonly layout: Layout
  /** A bandwidth cap in bytes a second; null for none. */
  readonly maxBytesPerSecond: number | null
  /** A naming template (issue 13); when set, it places files instead of `layout`. */
  readonly nameTemplate?: string
  /** The IANA zone the template's times are in (China Standard Time when absent). */
  readonly timeZone?: string
  /** Also write `<recording>.json` with the call's metadata beside each file. */
  readonly sidecar?: boolean
}

export const DEFAULT_OPTIONS: ExportOptions = { concurrency: CONCURRENCY.default, layout: 'flat', maxBytesPerSecond: null }

/** Clamps a requested concurrency into its bounds. */
export function clampConcurrency(n: number): number {
  return Math.min(CONCURRENCY.max, Math.max(CONCURRENCY.min, Math.floor(n)))
}

/** Names or IDs per journal line: an `add`, `contacts` or `retry` event never grows past this. */
export const JOURNAL_BATCH = 1000
