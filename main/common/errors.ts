import { catalogEntry, type Handling } from './error-catalog.ts'
import { redact } from './redact.ts'

/** An error as plain data: what is journalled, reported and sent over IPC. */
export interface ErrorData {
  readonly code: string
  readonly message: string
  readonly status?: number
  readonly requestId?: string
}

export interface CccErrorInit {
  code: string
  message: string
  status?: number
  requestId?: string
  cause?: unknown
  /** Facts a caller may branch on or show (the field to blame, the profile): never secrets. */
  details?: Readonly<Record<string, unknown>>
}

/**
 * The one error type of the engine: a CCC, OSS, transport, local or input code, with what the
 * engine should do about it derived from the catalog. The engine's other errors (keychain,
 * profiles, imports, the folder lock, CLI usage) extend it with their fixed codes, so the app and
 * the CLI explain and sort every failure by `code` alone. Messages are redacted on the way in, so
 * no signed URL, signature or key can leak through `message` or `stack`.
 */
export class CccError extends Error {
  readonly code: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly handling: Handling
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(init: CccErrorInit) {
    super(redact(init.message), init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'CccError'
    this.code = init.code
    this.status = init.status
    this.requestId = init.requestId
    this.handling = catalogEntry(init.code, init.status).handling
    this.details = init.details
  }

  /** Worth another attempt (after backoff, a new nonce, a fresh URL or a lower rate). */
  get retryable(): boolean {
    return this.handling === 'retry' || this.handling === 'throttle' || this.handling === 'renew-url'
  }

  /** Every other file would fail the same way: the export stops once. */
  get fatal(): boolean {
    return this.handling === 'fatal'
  }

  toData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    }
  }
}

export function isCccError(e: unknown): e is CccError {
  return e instanceof CccError
}

/** An abort is not a failure: callers check this before recording anything. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError'
}
