/** The simulator's public shapes (notes/sim-api.md); `index.ts` re-exports them. */

export interface SimOptions {
  instanceId?: string
  accessKeyId?: string
  accessKeySecret?: string
  /** When set, every RPC request must carry this SecurityToken (STS credentials). */
  securityToken?: string
  /** false => DownloadRecording answers 404 OssNotOpen. */
  ossOpen?: boolean
  /** The real API wraps SignatureUrl in an extra pair of double quotes (ccc-api.md §3). */
  quoteSignatureUrl?: boolean
  urlTtlSeconds?: number
  defaultSize?: (name: string) => number
  /** The server's ms clock: timestamps, URL expiry, the throttling bucket, Last-Modified. */
  now?: () => number
  /** false => 403 Forbidden.RAM for every action. */
  permissions?: boolean
  /**
   * The instance's generation: '2017-07-05' (CCC 1.0, default) or '2020-07-01' (CCC 2.0). A call
   * signed with the other Version answers as for an instance unknown there: 404 NotExist.Instance
   * from a 1.0 action, 404 NotExists.InstanceId from a 2.0 one (rpc-types.ts unknownInstance).
   */
  apiVersion?: '2017-07-05' | '2020-07-01'
  /** TCP port on 127.0.0.1; 0 (default) takes any free one. */
  port?: number
}

export type SimFaultKind =
  | 'throttle'
  | 'api-unavailable'
  | 'api-internal'
  | 'oss-unavailable'
  | 'reset'
  /** OSS GET: the connection is reset before any reply, where the status line should be. */
  | 'drop'
  | 'truncate'
  | 'expire-url'
  | 'slow'
  | 'api-hostile'
  /** A 2020-07-01 action's documented error (test/sim/v2-errors.ts): `code` says which. */
  | 'api-v2-error'
  /** OSS GET: the right bytes without `x-oss-hash-crc64ecma` or Content-MD5 (a proxy stripped them). */
  | 'no-checksum'
  /** OSS GET: a 200 captive-portal page (text/html), no checksum. */
  | 'html-body'
  /** OSS GET: a 200 whose body is an XML `<Error>`, typed application/octet-stream, no checksum. */
  | 'xml-body'
  /** OSS GET: the object gzipped with Content-Encoding: gzip, the object's CRC-64 kept. */
  | 'gzip-body'
  /** OSS GET: no checksum and no length, chunked, ending cleanly after `afterBytes` (default half). */
  | 'short-chunked'

export interface SimFault {
  kind: SimFaultKind
  /** How many matching events for the name it applies to (default 1). */
  times?: number
  /** reset / truncate: body bytes sent first (default half the body, capped one byte short of it). */
  afterBytes?: number
  /** slow: pace of the body (default 64 KiB/s). */
  bytesPerSecond?: number
  /**
   * throttle / api-* / oss-unavailable: the error Code to answer with instead of the default;
   * api-v2-error: one of V2_ERRORS (Parameter.Blank by default), with its documented status.
   */
  code?: string
  /** api-hostile: the error Message (default empty) and HTTP status (default 400). */
  message?: string
  status?: number
  /**
   * api-hostile: the Message repeated to this many bytes and streamed chunked, never held whole,
   * so a test can serve a 200 MB error without allocating it.
   */
  messageBytes?: number
}

export interface SimStats {
  apiCalls: number
  actionCalls: Map<string, number>
  downloadRecordingCalls: Map<string, number>
  throttled: number
  ossGets: Map<string, number>
  rangeGets: Map<string, number>
  partialReplies: Map<string, number>
  completeBodies: Map<string, number>
  /** Complete bodies that were the whole object (a 200, or a 206 from byte 0 to the end). */
  wholeBodies: Map<string, number>
  bytesSent: number
  /** Presigned URLs the simulator signed: DownloadRecording's, the 2.0 actions', `presign`'s. */
  urlsSigned: number
  /** The distinct signed URLs OSS accepted (unexpired, signature right), however often each came. */
  urlsUsed: Set<string>
  /** OSS requests refused because their URL had expired. */
  urlsExpired: number
}

/** Signed URLs that never reached OSS in time: fetched too early or for nothing (issue 16). */
export function unusedUrls(stats: SimStats): number {
  return Math.max(0, stats.urlsSigned - stats.urlsUsed.size)
}

export function newStats(): SimStats {
  return {
    apiCalls: 0,
    actionCalls: new Map(),
    downloadRecordingCalls: new Map(),
    throttled: 0,
    ossGets: new Map(),
    rangeGets: new Map(),
    partialReplies: new Map(),
    completeBodies: new Map(),
    wholeBodies: new Map(),
    bytesSent: 0,
    urlsSigned: 0,
    urlsUsed: new Set(),
    urlsExpired: 0,
  }
}

/** In place: callers may hold on to `sim.stats`. */
export function clearStats(stats: SimStats): void {
  stats.apiCalls = 0
  stats.throttled = 0
  stats.bytesSent = 0
  stats.actionCalls.clear()
  stats.downloadRecordingCalls.clear()
  stats.ossGets.clear()
  stats.rangeGets.clear()
  stats.partialReplies.clear()
  stats.completeBodies.clear()
  stats.wholeBodies.clear()
  stats.urlsSigned = 0
  stats.urlsUsed.clear()
  stats.urlsExpired = 0
}

export function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
