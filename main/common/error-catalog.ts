import { INPUT_ERRORS } from './error-catalog-input.ts'
import { LOCAL_ERRORS } from './error-catalog-local.ts'
import { SERVICE_ERRORS } from './error-catalog-service.ts'
import { TRANSFER_ERRORS } from './error-catalog-transfer.ts'
import type { CatalogEntry } from './error-catalog-types.ts'

/**
 * Every error code the product can show, with what it means and what to do, in zh-CN and en,
 * and what the engine does about it. One catalog for every layer (CCC, OSS, transport, the disk,
 * the keychain, a user's input), so the app, the CLI and the report explain any failure by its
 * code alone. The entries live in error-catalog-service.ts, -local.ts and -input.ts.
 */

export type { CatalogEntry, Handling, Locale, Text } from './error-catalog-types.ts'

export const ERROR_CATALOG = { ...SERVICE_ERRORS, ...TRANSFER_ERRORS, ...LOCAL_ERRORS, ...INPUT_ERRORS } as const satisfies Record<string, CatalogEntry>

export type KnownErrorCode = keyof typeof ERROR_CATALOG

export function isKnownCode(code: string): code is KnownErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code)
}

/**
 * The entry for a code; an unknown CCC code gets a generic entry whose handling follows the
 * HTTP status, so a new server-side code never stops an export that would otherwise succeed.
 */
export function catalogEntry(code: string, status?: number): CatalogEntry {
  if (isKnownCode(code)) return ERROR_CATALOG[code]
  if (code.startsWith('Throttling')) return ERROR_CATALOG.Throttling
  const unknown = ERROR_CATALOG.Unknown
  if (status !== undefined && status >= 500) return { ...unknown, handling: 'retry' }
  return unknown
}
