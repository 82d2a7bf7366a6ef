import { API_REQUESTS, type ApiRequest, type ApiResponse, type Envelope, type Method } from '../common/api.ts'
import { redact } from '../common/redact.ts'

/** One function per method: what the main side does, with the request already validated. */
export type Handlers = { [M in Method]: (request: ApiRequest<M>) => Promise<ApiResponse<M>> }

/**
 * The whole of what crosses from the renderer: a method name and one argument, validated against
 * the contract's schema before any handler sees it. Every outcome becomes an Envelope: errors as
 * `{code, message}` (redacted), never a thrown object whose stack or properties leak main-side state.
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
    const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'Unknown'
    return { ok: false, error: { code, message: redact(e instanceof Error ? e.message : String(e)) } }
  }
}
