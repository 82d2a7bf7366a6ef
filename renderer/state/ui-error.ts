import type { ErrorDetails } from '../../main/common/api.ts'

/**
 * A failed call as the UI shows it. The preload rejects with plain `{code, message, details?}` data
 * (an Error's own properties do not survive contextBridge), and tests may throw real Errors: accept both.
 */
export interface UiError {
  readonly code: string
  readonly message: string
  /** What main said of the failure beyond its code, for a screen to word in the page's language. */
  readonly details?: ErrorDetails
}

export function toUiError(e: unknown): UiError {
  if (typeof e === 'object' && e !== null) {
    const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown }
    return {
      code: typeof code === 'string' && code !== '' ? code : 'Unknown',
      message: typeof message === 'string' ? message : String(e),
      ...(typeof details === 'object' && details !== null ? { details: details as ErrorDetails } : {}),
    }
  }
  return { code: 'Unknown', message: String(e) }
}
