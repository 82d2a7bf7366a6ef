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

/**
 * An instance this generation does not know. Each generation words it its own way: 2017-07-05
 * says NotExist.Instance (ccc-api.md §4), 2020-07-01 NotExists.InstanceId (the error table of
 * every 2.0 action that takes an InstanceId, e.g. GetMonoRecording). An instance of the other
 * generation is unknown in this sense: the real service has no "wrong generation" code (none is
 * documented), so it can only answer as for any unknown instance.
 */
export function unknownInstance(version: string | undefined, instanceId: string): RpcError {
  return version === '2020-07-01'
    ? new RpcError(404, 'NotExists.InstanceId', `The specified instance ${instanceId} does not exist.`)
    : new RpcError(404, 'NotExist.Instance', `The specified instance ${instanceId} does not exist.`)
}
