import { createHmac, randomUUID } from 'node:crypto'

/**
 * Alibaba Cloud RPC ("POP") signature, version 1.0: ccc-api.md §1, checked against the official
 * ECS vector and `@alicloud/pop-core`.
 */

export type RpcMethod = 'GET' | 'POST'
export type RpcParams = Readonly<Record<string, string>>

/** RFC 3986: encodeURIComponent leaves `! ' ( ) *` alone, POP wants them encoded. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Sorted by name in code-unit order, `Signature` left out. */
export function canonicalQuery(params: RpcParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&')
}

export function stringToSign(method: RpcMethod, params: RpcParams): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`
}

export function signature(method: RpcMethod, params: RpcParams, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign(method, params)).digest('base64')
}

/** `yyyy-MM-ddTHH:mm:ssZ`: the gateway rejects milliseconds. */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface Credentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** STS credentials carry a token, signed like any other parameter. */
  readonly securityToken?: string
}

/**
 * The full parameter set of one attempt, `Signature` included. Every attempt gets its own
 * nonce and timestamp: a retried request with an old nonce gets `SignatureNonceUsed`.
 */
export function signedParams(
  method: RpcMethod,
  action: string,
  actionParams: RpcParams,
  credentials: Credentials,
  now: Date,
  nonce: string = randomUUID(),
  version: string = '2017-07-05',
): Record<string, string> {
  const params: Record<string, string> = {
    ...actionParams,
    Action: action,
    Version: version,
    Format: 'JSON',
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: rpcTimestamp(now),
  }
  if (credentials.securityToken) params.SecurityToken = credentials.securityToken
  params.Signature = signature(method, params, credentials.accessKeySecret)
  return params
}

/** The form body (POST) or query string (GET) carrying `params`, encoded as they were signed. */
export function encodeParams(params: RpcParams): string {
  return Object.keys(params)
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&')
}
