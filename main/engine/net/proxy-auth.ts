/**
 * Whether a failed request was a proxy asking for credentials. Through a proxy the answer is
 * seldom a 407 reply: undici's proxy agent fails the tunnel's CONNECT with "Proxy response (407)
 * !== 200" two causes deep under "fetch failed", and Chromium (the app's net.fetch) with
 * net::ERR_PROXY_AUTH_*. Read as a plain network failure, it made the export wait for a network
 * that was there all along (up to --give-up-after, 4 hours by default).
 */
export function isProxyAuthFailure(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 8; depth++) {
    // Transport messages only (a reply's body never gets here): anchored, so no URL or name can match.
    if (/^Proxy response \(407\)|net::ERR_PROXY_AUTH_/.test(cur.message)) return true
    cur = cur.cause
  }
  return false
}

/** The deepest cause's words (ECONNREFUSED, ENOTFOUND, a certificate's): undici wraps them in "fetch failed". */
export function deepestReason(e: unknown): string {
  let cur: unknown = e
  for (let depth = 0; cur instanceof Error && cur.cause instanceof Error && depth < 8; depth++) cur = cur.cause
  if (!(cur instanceof Error)) return String(cur)
  const code = (cur as NodeJS.ErrnoException).code
  return code ? `${code}: ${cur.message}` : cur.message
}
