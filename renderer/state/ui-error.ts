/**
 * A failed call as the UI shows it. The preload rejects with plain `{code, message}` data (an Error's
 * own properties do not survive contextBridge), and tests may throw real Errors: accept both.
 */
export interface UiError {
  readonly code: string
  readonly message: string
}

export function toUiError(e: unknown): UiError {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown }
    return {
      code: typeof code === 'string' && code !== '' ? code : 'Unknown',
      message: typeof message === 'string' ? message : String(e),
    }
  }
  return { code: 'Unknown', message: String(e) }
}
