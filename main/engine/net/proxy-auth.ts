import { causeChain } from '../error-causes.ts'

/**
 * Whether a failed request was a proxy asking for credentials. Through a proxy the answer is
 * seldom a 407 reply: undici's proxy agent fails the tunnel's CONNECT with "Proxy response (407)
 * !== 200" two causes deep under "fetch failed", and Chromium (the app's net.fetch) with
 * net::ERR_PROXY_AUTH_*. Read as a plain network failure, it made the export wait for a network
 * that was there all along (up to --give-up-after, 4 hours by default).
 */
export function isProxyAuthFailure(e: unknown): boolean {
  // Transport messages only (a reply's body never gets here): anchored, so no URL or name can match.
  return causeChain(e).some((c) => c instanceof Error && /^Proxy response \(407\)|net::ERR_PROXY_AUTH_/.test(c.message))
}

/** The deepest cause's words (ECONNREFUSED, ENOTFOUND, a certificate's): undici wraps them in "fetch failed". */
export function deepestReason(e: unknown): string {
  const deepest = causeChain(e).filter((c) => c instanceof Error).at(-1)
  if (!(deepest instanceof Error)) return String(e)
  const code = (deepest as NodeJS.ErrnoException).code
  return code ? `${code}: ${deepest.message}` : deepest.message
}
