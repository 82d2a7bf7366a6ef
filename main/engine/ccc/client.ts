import { randomUUID } from 'node:crypto'
import { API_V1, type ApiVersion } from '../../common/api-version.ts'
import { CccError, isCccError } from '../../common/errors.ts'
import { readCappedText } from './capped-reply.ts'
import { endpointFor } from './endpoint.ts'
import { parseReply, unquoteUrl } from './reply.ts'
import { type Credentials, encodeParams, type RpcParams, signedParams } from './sign.ts'
import { deepestReason, isProxyAuthFailure } from '../net/proxy-auth.ts'

export interface CccClientOptions {
  readonly credentials: Credentials
  /** Overrides the region's endpoint: VPC endpoints, proxies, the simulator. */
  readonly endpoint?: string
  readonly region?: string
  readonly fetch?: typeof fetch
  readonly now?: () => Date
  /** Per attempt, from sending to the whole reply read. */
  readonly timeoutMs?: number
  /** The API generation signed into every call (`Version`); 2017-07-05 unless said. */
  readonly version?: ApiVersion
}

export interface CallOptions {
  readonly signal?: AbortSignal
  /**
   * This call's generation, over the client's: an export's journal says which one it speaks, so
   * a client made for a profile serves the exports of either.
   */
  readonly version?: ApiVersion
}

export interface RecordingUrl {
  /** Presigned, valid for one hour: fetch it just in time, never log it. */
  readonly url: string
  readonly fileName: string
}

/**
 * One signed RPC attempt per call. Retries, backoff and rate belong to the caller, which is why
 * each call signs afresh: a retry gets a new nonce and timestamp by construction.
 */
export class CccClient {
  readonly endpoint: string
  private readonly credentials: Credentials
  private readonly fetchFn: typeof fetch
  private readonly now: () => Date
  private readonly timeoutMs: number
  readonly version: ApiVersion

  constructor(options: CccClientOptions) {
    this.credentials = options.credentials
    this.endpoint = options.endpoint ?? endpointFor(options.region)
    this.fetchFn = options.fetch ?? globalThis.fetch
    this.now = options.now ?? (() => new Date())
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.version = options.version ?? API_V1
  }

  async call(action: string, params: RpcParams, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const version = options.version ?? this.version
    const body = encodeParams(signedParams('POST', action, params, this.credentials, this.now(), randomUUID(), version))
    // One controller for the caller's signal and the timeout, both released when the call ends.
    // Not AbortSignal.timeout + AbortSignal.any: a 30-second timer per call stays scheduled long
    // after its reply, and an export-wide signal collects a dependant per call (nodejs/node#55351);
    // at a thousand calls a second both add up.
    const outer = options.signal
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort(new DOMException(`${action} timed out`, 'TimeoutError'))
    }, this.timeoutMs)
    const onAbort = (): void => controller.abort(outer?.reason)
    outer?.addEventListener('abort', onAbort, { once: true })
    if (outer?.aborted) onAbort()
    let status: number
    let text: string
    try {
      const res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: controller.signal,
      })
      status = res.status
      text = await readCappedText(res, action)
    } catch (e) {
      if (outer?.aborted) throw outer.reason ?? e
      if (isCccError(e)) {
        // Too large: the rest of the body is not wanted, and its connection not reusable.
        controller.abort(e)
        throw e
      }
      if (timedOut) {
        throw new CccError({ code: 'Timeout', message: `${action}: no reply within ${this.timeoutMs} ms`, cause: e })
      }
      if (isProxyAuthFailure(e)) throw new CccError({ code: 'Network.ProxyAuth', message: `${action}: ${deepestReason(e)}`, cause: e })
      throw new CccError({ code: 'Network', message: `${action}: ${deepestReason(e)}`, cause: e })
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onAbort)
    }
    return parseReply(status, text)
  }

  async downloadRecording(instanceId: string, fileName: string, options: CallOptions = {}): Promise<RecordingUrl> {
    const reply = await this.call('DownloadRecording', { InstanceId: instanceId, FileName: fileName }, options)
    const param = reply.MediaDownloadParam as { SignatureUrl?: unknown; FileName?: unknown } | undefined
    const raw = param?.SignatureUrl
    const url = typeof raw === 'string' ? unquoteUrl(raw) : ''
    if (!/^https?:\/\//i.test(url)) {
      throw new CccError({
        code: 'Http.Unexpected',
        message: `DownloadRecording for ${fileName}: the reply has no usable SignatureUrl`,
        ...(typeof reply.RequestId === 'string' ? { requestId: reply.RequestId } : {}),
      })
    }
    return { url, fileName: typeof param?.FileName === 'string' ? param.FileName : fileName }
  }
}

