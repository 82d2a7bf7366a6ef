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
 * The most of a message an error keeps: a server's message (or a proxy's page quoted in one) is
 * logged, journalled, reported and printed, and one of 200 MB was once all four.
 */
export const MAX_MESSAGE_CHARS = 2048
/** A code or request ID from a server: real ones are under 60 characters. */
const MAX_CODE_CHARS = 128
// Redacted before the cut, so a secret straddling it cannot be left half shown; only this much is
// redacted, so a huge message costs no more than a small one. Far past the cut: whatever this
// first slice cuts in two lies beyond the part that is kept.
const REDACT_WINDOW = 64 * 1024

/** `text` (through `clean`) cut to `max` characters, saying how much was left out. */
export function capText(text: string, max: number, clean: (t: string) => string = (t) => t): string {
  const cleaned = clean(text.length > REDACT_WINDOW ? text.slice(0, REDACT_WINDOW) : text)
  if (cleaned.length <= max && text.length <= REDACT_WINDOW) return cleaned
  let end = Math.min(max, cleaned.length)
  // Not between the halves of a surrogate pair.
  const last = cleaned.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  const more = cleaned.length - end + Math.max(0, text.length - REDACT_WINDOW)
  return `${cleaned.slice(0, end)}… (${more} more characters)`
}

/**
 * The one error type of the engine: a CCC, OSS, transport, local or input code, with what the
 * engine should do about it derived from the catalog. The engine's other errors (keychain,
 * profiles, imports, the folder lock, CLI usage) extend it with their fixed codes, so the app and
 * the CLI explain and sort every failure by `code` alone. Messages are redacted on the way in, so
 * no signed URL, signature or key can leak through `message` or `stack`, and capped, so no
 * server can fill a log, the journal or a terminal through one.
 */
export class CccError extends Error {
  readonly code: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly handling: Handling
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(init: CccErrorInit) {
    super(capText(init.message, MAX_MESSAGE_CHARS, redact), init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'CccError'
    // Redacted too: a hostile or broken server's Code may echo what it was sent (an STS token).
    this.code = capText(init.code, MAX_CODE_CHARS, redact)
    this.status = init.status
    this.requestId = init.requestId === undefined ? undefined : capText(init.requestId, MAX_CODE_CHARS, redact)
    this.handling = catalogEntry(this.code, init.status).handling
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
