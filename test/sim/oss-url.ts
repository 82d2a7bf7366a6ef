import { createHmac } from 'node:crypto'
import type { SimState } from './state.ts'

/**
 * OSS V1 signature in the URL ("在URL中包含签名"): HMAC-SHA1 over
 * VERB \n Content-MD5 \n Content-Type \n Expires \n /bucket/key, keyed with the bucket owner's
 * secret. The verb is signed, so a URL presigned for GET does not serve HEAD (as on real OSS).
 */

export function objectKey(instanceId: string, fileName: string): string {
  return `record/${instanceId}/${fileName}`
}

export function ossSignature(
  state: SimState,
  verb: string,
  expires: string,
  key: string,
  contentMd5 = '',
  contentType = '',
): string {
  const text = `${verb}\n${contentMd5}\n${contentType}\n${expires}\n/${state.oss.bucket}/${key}`
  return createHmac('sha1', state.oss.accessKeySecret).update(text, 'utf8').digest('base64')
}

/** Each path segment percent-encoded, `/` kept, as the OSS SDKs write object keys into URLs. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

export function presignedUrl(state: SimState, fileName: string, expiresSeconds: number, verb = 'GET'): string {
  state.stats.urlsSigned++
  const key = objectKey(state.instanceId, fileName)
  const expires = String(expiresSeconds)
  const query = [
    `Expires=${expires}`,
    `OSSAccessKeyId=${encodeURIComponent(state.oss.accessKeyId)}`,
    `Signature=${encodeURIComponent(ossSignature(state, verb, expires, key))}`,
  ].join('&')
  return `${state.endpoint}/${encodeKey(key)}?${query}`
}
