/**
 * Keeps credentials out of every message, log line and file. A presigned OSS URL carries
 * `OSSAccessKeyId` and `Signature` (ccc-api.md §5); an RPC request carries `Signature` and perhaps
 * `SecurityToken`; the AccessKey secret itself is registered when credentials are loaded.
 */

const secrets = new Set<string>()

/** RFC 3986 as the RPC signer encodes: encodeURIComponent plus `! ' ( ) *`. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * Values that must never be printed, whatever text they turn up in. Their encoded forms too: a
 * gateway's SignatureDoesNotMatch message quotes the string to sign, where every value is
 * percent-encoded twice (an STS token's `+` appears as `%252B`).
 */
export function registerSecret(value: string | undefined): void {
  // Very short values would blank out ordinary words; real secrets are long.
  if (!value || value.length < 8) return
  const once = encode(value)
  for (const form of [value, encodeURIComponent(value), once, encode(once)]) secrets.add(form)
}

const QUERY_PARAM = /\b(Signature|OSSAccessKeyId|SecurityToken|AccessKeySecret|x-oss-signature|x-oss-security-token|x-oss-credential)=([^&\s"'<>]*)/gi
const JSON_FIELD = /("(?:Signature|SignatureUrl|SecurityToken|AccessKeySecret|OSSAccessKeyId)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi
const SIGNED_URL = /(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*(?:Signature|OSSAccessKeyId)=[^\s"'<>]*/gi

export function redact(text: string): string {
  let out = text.replace(SIGNED_URL, '$1?<redacted>')
  out = out.replace(QUERY_PARAM, '$1=<redacted>')
  out = out.replace(JSON_FIELD, '$1"<redacted>"')
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('<redacted>')
  return out
}

/** `LTAI5tAbCdEf12345678` → `LTAI****5678`: enough to recognise a key, not to use it. */
export function maskAccessKeyId(id: string): string {
  if (id.length <= 8) return '****'
  return `${id.slice(0, 4)}****${id.slice(-4)}`
}
