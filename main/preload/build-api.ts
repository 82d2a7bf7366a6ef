/**
 * The pure half of the preload: `window.ccc` built from an `invoke` and a `subscribe` function, so
 * it can be tested under Node. preload.ts passes ipcRenderer's; nothing Electron is imported here.
 */
import type { CccApi, ErrorDetails, EventName, Method } from '../common/api.ts'
import { EVENT_NAMES, METHOD_NAMES } from './channels.ts'

export type Invoke = (method: Method, request: unknown) => Promise<unknown>
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void

/**
 * How a failed call reaches the page: plain data (a code, a message, any details), not an Error.
 * contextBridge copies an Error's message but drops its own properties, so `code` would be lost
 * (https://github.com/electron/electron/issues/25596); a plain object crosses intact.
 */
export interface ApiFailure {
  readonly code: string
  readonly message: string
  readonly details?: ErrorDetails
}

export function unwrap(reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const envelope = reply as { ok: unknown; value?: unknown; error?: unknown }
    if (envelope.ok === true) return envelope.value
    if (envelope.ok === false && typeof envelope.error === 'object' && envelope.error !== null) {
      const { code, message, details } = envelope.error as { code?: unknown; message?: unknown; details?: unknown }
      throw failure(typeof code === 'string' ? code : 'Unknown', typeof message === 'string' ? message : '', details)
    }
  }
  throw failure('Ipc.BadReply', 'The main process sent a reply that is not an envelope.')
}

function failure(code: string, message: string, details?: unknown): ApiFailure {
  const facts = typeof details === 'object' && details !== null ? (Object.freeze({ ...details }) as ErrorDetails) : undefined
  return Object.freeze({ code, message, ...(facts === undefined ? {} : { details: facts }) })
}

export function buildApi(invoke: Invoke, subscribe: Subscribe): CccApi {
  const api: Record<string, unknown> = {}
  for (const method of METHOD_NAMES) {
    // Exactly one argument is forwarded: the page cannot smuggle extra ones to the handler.
    api[method] = async (request: unknown) => {
      let reply: unknown
      try {
        reply = await invoke(method, request)
      } catch (e) {
        // No handler, a reply that cannot be cloned, a closing window: still a plain failure.
        throw failure('Ipc.Failed', e instanceof Error ? e.message : String(e))
      }
      return unwrap(reply)
    }
  }
  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!EVENT_NAMES.includes(event as EventName)) throw new TypeError(`unknown event: ${String(event)}`)
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    const unsubscribe = subscribe(event as EventName, (payload) => (listener as (p: unknown) => void)(payload))
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      unsubscribe()
    }
  }
  return Object.freeze(api) as unknown as CccApi
}
