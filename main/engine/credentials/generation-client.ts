import { API_V1, API_V2, type ApiVersion, describeApiVersion } from '../../common/api-version.ts'
import { CccError, isCccError } from '../../common/errors.ts'
import { type CallOptions, CccClient, type CccClientOptions } from '../ccc/client.ts'
import type { RpcParams } from '../ccc/sign.ts'
import { reachesInstance } from './connection-test.ts'

/** How each generation says it does not know an instance (ccc-api.md §4; the 2.0 action docs). */
const UNKNOWN_INSTANCE: ReadonlySet<string> = new Set(['NotExist.Instance', 'NotExists.InstanceId'])

/**
 * A CccClient for exports (issue 14 item 1): when a call's generation does not know the instance,
 * it asks the other generation once per instance (the connection test's probe) and, when that one
 * knows it, fails with Api.InstanceIsV2 / Api.InstanceIsV1 instead of the bare not-found, so the
 * export stops saying which generation the instance seems to be. Any other error passes as it is.
 */
export class GenerationAwareClient extends CccClient {
  // The probe goes through a plain client: its own not-found must not start another probe.
  private readonly plain: CccClient
  private readonly verdicts = new Map<string, Promise<boolean | undefined>>()

  constructor(options: CccClientOptions) {
    super(options)
    this.plain = new CccClient(options)
  }

  override async call(action: string, params: RpcParams, options: CallOptions = {}): Promise<Record<string, unknown>> {
    try {
      return await super.call(action, params, options)
    } catch (e) {
      const instanceId = params.InstanceId
      if (!isCccError(e) || !UNKNOWN_INSTANCE.has(e.code) || !instanceId) throw e
      const other: ApiVersion = (options.version ?? this.version) === API_V2 ? API_V1 : API_V2
      if (!(await this.otherKnows(instanceId, other, options.signal))) throw e
      throw new CccError({
        code: other === API_V2 ? 'Api.InstanceIsV2' : 'Api.InstanceIsV1',
        message: `${action}: ${e.message} The instance answers API ${describeApiVersion(other)}: set the profile's API version (or --api-version) to ${other}`,
        ...(e.status === undefined ? {} : { status: e.status }),
        ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
        cause: e,
      })
    }
  }

  /** Asked once per instance and generation, however many calls fail at once. */
  private async otherKnows(instanceId: string, version: ApiVersion, signal: AbortSignal | undefined): Promise<boolean> {
    const key = `${version}\n${instanceId}`
    let verdict = this.verdicts.get(key)
    if (verdict === undefined) {
      // No answer (the network, an abort) is not kept: the next failing call asks again.
      const forget = (): undefined => void this.verdicts.delete(key)
      verdict = reachesInstance(this.plain, instanceId, version, signal).then((known) => known ?? forget(), forget)
      this.verdicts.set(key, verdict)
    }
    return (await verdict) === true
  }
}
