import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './exit-codes.ts'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Node's own parseArgs, strict: an unknown or misspelt flag is an error, never silently ignored
 * (a typo in --max-rate must not start an unthrottled export on a call centre's line).
 */
export function parse<O extends Options>(args: readonly string[], options: O, positionals: { min: number; max: number; usage: string }) {
  let parsed
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e)
    throw new UsageError(`${message.replace(/\.$/, '')}; usage: ${brief(positionals.usage)}`)
  }
  const count = parsed.positionals.length
  if (count < positionals.min) throw new UsageError(`missing argument; usage: ${brief(positionals.usage)}`)
  if (count > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"; usage: ${brief(positionals.usage)}`)
  return parsed
}

export function intOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}"`)
  return n
}

/** The usage up to its optional flags: one readable line; `--help` has the rest. */
function brief(usage: string): string {
  const first = usage.split('\n')[0]!
  const cut = first.indexOf(' [')
  return `${cut === -1 ? first : first.slice(0, cut)} … (see ccc-recordings --help)`
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }

/** A duration such as `90s`, `30m`, `4h` or `2d` (a bare number is seconds), in ms. */
export function durationOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$/i.exec(value)
  // A bare number is refused, as --max-rate's is: `--give-up-after 4` is as likely hours as seconds.
  if (m && m[2] === undefined) throw new UsageError(`${flag} wants a duration with its unit, such as 90s, 30m, 4h or 2d: "${value}" could be seconds or hours`)
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : Number.NaN
  if (!(ms >= 1000)) throw new UsageError(`${flag} wants a duration such as 90s, 30m, 4h or 2d, not "${value}"`)
  return ms
}
