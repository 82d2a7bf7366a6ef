/**
 * Some tests need what a machine may lack: a Chromium-family browser, the private test keyring, root.
 * Where it is missing they skip and say why, so `npm install && npm test` passes on a fresh Mac or
 * Windows machine. CI lists what it installed in CCC_REQUIRE (say `browser,keyring`): there a missing
 * one fails the test file instead, so CI never goes green with those tests quietly skipped.
 */
export const REQUIRE_ENV = 'CCC_REQUIRE'

export type Need = 'browser' | 'keyring' | 'root'

/** Why the tests that need `need` must skip here (null: they run). Throws where CI requires it. */
export function skipReason(need: Need, missing: string | null, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  if (missing === null) return null
  const required = (env[REQUIRE_ENV] ?? '').split(',').map((s) => s.trim())
  if (required.includes(need)) throw new Error(`${REQUIRE_ENV} includes "${need}", but ${missing}`)
  return missing
}

/** A describe or test name that carries its skip reason into the report. */
export function titled(name: string, reason: string | null): string {
  return reason === null ? name : `${name} [skipped: ${reason}]`
}
