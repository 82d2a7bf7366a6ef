/**
 * DownloadRecording hands out plain `http://…oss-<region>.aliyuncs.com/…` URLs, while OSS serves the
 * same signed URL over https (ccc-api.md §5). Recordings are personal data, so they never cross the
 * network in clear when the host is Alibaba Cloud's. The signature covers neither scheme nor port.
 */
export function secureUrl(url: string): string {
  let host: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'http:') return url
    host = parsed.hostname.toLowerCase().replace(/\.$/, '')
  } catch {
    return url // not a URL: fetch reports it, nothing to upgrade
  }
  if (!host.endsWith('.aliyuncs.com')) return url
  // Only the scheme is swapped, by hand: re-serialising through URL could re-encode the signed query.
  const rest = url.replace(/^\s*http:/i, '')
  // An explicit :80 would now mean "TLS on port 80"; drop it so https uses 443.
  return `https:${rest.replace(/^(\/\/[^/?#]*?):80(?=[/?#]|$)/, '$1')}`
}
