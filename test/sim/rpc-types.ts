import type { SimState } from './state.ts'

/** An error reply of the RPC gateway or of an action: status + Code + Message. */
export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Streamed: the message repeated to this many bytes (test/sim/huge-reply.ts). */
    readonly messageBytes?: number,
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

export interface ActionContext {
  readonly state: SimState
  /** Every request parameter, the common ones included. */
  readonly params: Readonly<Record<string, string>>
  readonly requestId: string
}

export interface ActionEntry {
  /** The reply body without RequestId (added by the gateway); throw RpcError to fail. */
  readonly handle: (ctx: ActionContext) => Record<string, unknown>
  /** Subject to the global throttling storm (Sim.setThrottleAll). */
  readonly storm?: boolean
}

/** POP's wording for an absent action parameter. */
export function missing(name: string): RpcError {
  return new RpcError(
    400,
    `Missing${name}`,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  )
}

export function throttling(code = 'Throttling'): RpcError {
  return new RpcError(400, code, 'Request was denied due to request throttling.')
}
