import { API_REQUESTS, type ApiRequest, type ApiResponse, type Envelope, type ErrorDetails, type Method } from '../common/api.ts'
import { isKnownCode } from '../common/error-catalog.ts'
import { isCccError } from '../common/errors.ts'
import { redact } from '../common/redact.ts'
import { errnoToCccError } from '../engine/errno.ts'

/** One function per method: what the main side does, with the request already validated. */
export type Handlers = { [M in Method]: (request: ApiRequest<M>) => Promise<ApiResponse<M>> }

/**
 * The whole of what crosses from the renderer: a method name and one argument, validated against
 * the contract's schema before any handler sees it. Every outcome becomes an Envelope: errors as
 * `{code, message, details?}` (redacted), never a thrown object whose stack or properties leak main-side state.
 */
export async function dispatch(handlers: Handlers, method: unknown, request: unknown): Promise<Envelope<unknown>> {
  if (typeof method !== 'string' || !Object.hasOwn(API_REQUESTS, method)) {
    return { ok: false, error: { code: 'Ipc.UnknownMethod', message: `No such method: ${String(method).slice(0, 64)}` } }
  }
  const m = method as Method
  const parsed = API_REQUESTS[m].safeParse(request)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? issue.path.join('.') : 'request'
    return { ok: false, error: { code: 'Ipc.InvalidRequest', message: `${m}: ${where}: ${issue?.message ?? 'invalid'}` } }
  }
  try {
    const handler = handlers[m] as (r: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (e) {
    const error = replyError(m, e)
    const details = isCccError(e) ? pageDetails(e.details) : undefined
    return { ok: false, error: { code: error.code, message: redact(error.message), ...(details === undefined ? {} : { details }) } }
  }
}

/**
 * What the page is told of a failure: always a catalog code it can explain. A raw OS error's code
 * (EISDIR, EBUSY) means nothing to the page, which would show it as unknown: the errnos the engine
 * names get its code, any other a local one, and its message, which names the file, says which
 * request met it.
 */
function replyError(method: Method, e: unknown): { code: string; message: string } {
  if (isCccError(e)) return e
  const message = e instanceof Error ? e.message : String(e)
  const code = (e as { code?: unknown } | null)?.code
  // The host's own refusals (Shell.OpenFailed) are plain Errors with a catalog code.
  if (typeof code === 'string' && isKnownCode(code)) return { code, message }
  const named = errnoToCccError(e)?.code ?? (isSystemError(e) ? 'Local.FileFailed' : 'Unknown')
  return { code: named, message: `${method}: ${message}` }
}

/**
 * A CccError's details as the page gets them: flat strings (redacted, as the message is), numbers
 * and flags only, so nothing that cannot be cloned, or that holds main-side objects, crosses.
 */
function pageDetails(details: Readonly<Record<string, unknown>> | undefined): ErrorDetails | undefined {
  if (details === undefined) return undefined
  const kept = Object.entries(details).flatMap(([key, value]): [string, string | number | boolean][] => {
    if (typeof value === 'string') return [[key, redact(value)]]
    return typeof value === 'number' || typeof value === 'boolean' ? [[key, value]] : []
  })
  return kept.length === 0 ? undefined : Object.fromEntries(kept)
}

/** Node's errors from the OS: a string code such as EBUSY and the call that met it. */
function isSystemError(e: unknown): boolean {
  const { code, syscall } = (e ?? {}) as { code?: unknown; syscall?: unknown }
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string'
}
