import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { signature, stringToSign } from '../../main/engine/ccc/sign.ts'
import { actions, actionsV2 } from './actions.ts'
import { streamHugeError } from './huge-reply.ts'
import { RpcError, missing, throttling, unknownInstance } from './rpc-types.ts'
import type { SimState } from './state.ts'
import { bump } from './types.ts'
import { toXml } from './xml.ts'

/**
 * The CCC RPC ("POP") gateway: GET `/?…` or POST `/` with a form body. Checks the common
 * parameters, the signature and the nonce the way the real gateway does (ccc-api.md §1, §4), then
 * hands over to the action's handler.
 */

const HOST_ID = 'ccc.cn-shanghai.aliyuncs.com'
const SKEW_MS = 15 * 60 * 1000
const MAX_BODY = 1024 * 1024
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/
const COMMON = ['Action', 'Version', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']

export async function handleRpc(req: IncomingMessage, res: ServerResponse, state: SimState): Promise<void> {
  const requestId = randomUUID().toUpperCase()
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '')
  const params: Record<string, string> = Object.fromEntries(query)
  if (req.method === 'POST') {
    const body = await readBody(req)
    if (body === undefined) {
      const err = new RpcError(413, 'RequestEntityTooLarge', 'The request body is too large.')
      reply(res, err.status, 'Error', errorBody(err, requestId), false, requestId)
      return
    }
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)))
  }
  // XML unless JSON was asked for, errors included (ccc-api.md §1).
  const json = params.Format?.toUpperCase() === 'JSON'
  const action = params.Action ?? ''

  const { stats } = state
  stats.apiCalls++
  if (action) bump(stats.actionCalls, action)
  if (action === 'DownloadRecording' && params.FileName) {
    bump(stats.downloadRecordingCalls, params.FileName)
    state.events.emit('resolve', params.FileName)
  }

  try {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new RpcError(400, 'UnsupportedHTTPMethod', `HTTP method ${req.method ?? ''} is not supported.`)
    }
    const entry = authorise(req.method, params, state)
    if (entry.storm && !state.storm.admit(state.now())) throw throttling()
    const body = entry.handle({ state, params, requestId })
    reply(res, 200, `${action}Response`, { RequestId: requestId, ...body }, json, requestId)
  } catch (e) {
    const err = e instanceof RpcError ? e : new RpcError(500, 'InternalError', String(e))
    if (err.code.startsWith('Throttling')) stats.throttled++
    if (err.messageBytes !== undefined) {
      const { sent, complete } = await streamHugeError(res, err, errorBody(err, requestId), json)
      state.events.emit('hugeReply', sent, complete)
      return
    }
    reply(res, err.status, 'Error', errorBody(err, requestId), json, requestId)
  }
}

function errorBody(err: RpcError, requestId: string): Record<string, unknown> {
  return {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=CCC&requestId=${requestId}`,
  }
}

function authorise(method: 'GET' | 'POST', params: Record<string, string>, state: SimState) {
  for (const name of COMMON) {
    if (!params[name]) throw missing(name)
  }
  const table = params.Version === '2017-07-05' ? actions : params.Version === '2020-07-01' ? actionsV2 : undefined
  if (!table) throw new RpcError(400, 'InvalidVersion', 'Specified parameter Version is not valid.')
  const entry = table.get(params.Action ?? '')
  if (!entry) throw new RpcError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.')
  if (params.SignatureMethod !== 'HMAC-SHA1') {
    throw new RpcError(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.')
  }
  if (params.SignatureVersion !== '1.0') {
    throw new RpcError(400, 'InvalidSignatureVersion', 'Specified signature version is not supported.')
  }

  const now = state.now()
  const timestamp = parseTimestamp(params.Timestamp ?? '')
  if (timestamp === undefined) {
    throw new RpcError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.')
  }
  if (Math.abs(now - timestamp) > SKEW_MS) {
    throw new RpcError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.')
  }

  if (params.AccessKeyId !== state.accessKeyId) {
    throw new RpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.')
  }
  if (!params.Signature) throw new RpcError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.')
  if (params.Signature !== signature(method, params, state.accessKeySecret)) {
    throw new RpcError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign(method, params)}`,
    )
  }
  if (state.securityToken !== undefined) {
    if (!params.SecurityToken) throw new RpcError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.')
    if (params.SecurityToken !== state.securityToken) {
      throw new RpcError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.')
    }
  }
  useNonce(state, `${params.AccessKeyId}\n${params.SignatureNonce}`, timestamp, now)
  // The instance lives in one generation: the other one's actions do not know it.
  if (params.Version !== state.apiVersion && params.InstanceId === state.instanceId) {
    throw unknownInstance(params.Version, params.InstanceId)
  }

  if (!state.flags.permissions) {
    throw new RpcError(
      403,
      'Forbidden.RAM',
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    )
  }
  return entry
}

/** Exactly `yyyy-MM-ddTHH:mm:ssZ`, and a real date: no milliseconds, no offsets. */
function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text)
  if (!m) return undefined
  const ms = Date.parse(text)
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== text.slice(0, 19)) return undefined
  return ms
}

/** A nonce may be forgotten once its timestamp is too old to pass the skew check anyway. */
function useNonce(state: SimState, key: string, timestamp: number, now: number): void {
  for (const [k, forgetAt] of state.nonces) {
    if (forgetAt > now) break
    state.nonces.delete(k)
  }
  if (state.nonces.has(key)) throw new RpcError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.')
  state.nonces.set(key, timestamp + SKEW_MS + 1000)
}

function reply(
  res: ServerResponse,
  status: number,
  root: string,
  body: Record<string, unknown>,
  json: boolean,
  requestId: string,
): void {
  const text = json ? JSON.stringify(body) : toXml(root, body)
  res.writeHead(status, {
    'Content-Type': json ? 'application/json;charset=utf-8' : 'text/xml;charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'x-acs-request-id': requestId,
  })
  res.end(text)
}

/** undefined when larger than MAX_BODY. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > MAX_BODY) return undefined
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}
