/**
 * Keeps credentials out of every message, log line and file. A presigned OSS URL carries
 * `OSSAccessKeyId` and `Signature` (ccc-api.md §5); an RPC request carries `Signature` and perhaps
 * `SecurityToken`; the AccessKey secret itself is registered when credentials are loaded.
 */

const secrets = new Set<string>()
/** Secrets too short to hunt inside words: matched only as a whole token (see `registerSecret`). */
const shortSecrets = new Map<string, RegExp>()

// Below this a secret could be part of ordinary words ("abc" in "abcdef.wav"), so it is matched
// only where no letter or digit touches it; at or above it, anywhere.
const SUBSTRING_MIN = 8

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
  if (!value) return
  const once = encode(value)
  for (const form of [value, encodeURIComponent(value), once, encode(once)]) {
    // Whatever its length, a configured secret is never printed; a short one is matched as a
    // token so that a 3-letter secret does not blank out every word containing those letters.
    if (form.length >= SUBSTRING_MIN) secrets.add(form)
    else shortSecrets.set(form, new RegExp(`(?<![A-Za-z0-9])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'))
  }
}

const QUERY_PARAM = /\b(Signature|OSSAccessKeyId|SecurityToken|security-token|AccessKeySecret|x-oss-signature|x-oss-security-token|x-oss-credential)=([^&\s"'<>]*)/gi
const JSON_FIELD = /("(?:Signature|SignatureUrl|SecurityToken|AccessKeySecret|OSSAccessKeyId)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi
const SIGNED_URL = /(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*(?:Signature|OSSAccessKeyId)=[^\s"'<>]*/gi

export function redact(text: string): string {
  let out = text.replace(SIGNED_URL, '$1?<redacted>')
  out = out.replace(QUERY_PARAM, '$1=<redacted>')
  out = out.replace(JSON_FIELD, '$1"<redacted>"')
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('<redacted>')
  for (const [s, token] of shortSecrets) if (out.includes(s)) out = out.replace(token, '<redacted>')
  return out
}

/** `LTAI5tAbCdEf12345678` → `LTAI****5678`: enough to recognise a key, not to use it. */
export function maskAccessKeyId(id: string): string {
  if (id.length <= 8) return '****'
  return `${id.slice(0, 4)}****${id.slice(-4)}`
}
