import type { RecordingMeta } from './call.ts'

/** One verified recording as the manifest lists it (issue 13 item 4). */
export interface ManifestRow {
  /** Relative to the output folder, with `/`. */
  readonly localPath: string
  /** The CCC file name. */
  readonly fileName: string
  readonly bytes: number
  readonly crc64?: string
  /** Hex; absent only for files verified before SHA-256 was computed. */
  readonly sha256?: string
  /** ISO time. */
  readonly downloadedAt?: string
  /** 'crc64' | 'md5' | 'length' */
  readonly verifiedBy?: string
  readonly meta: RecordingMeta
}

export const MANIFEST_CSV = 'manifest.csv'
export const MANIFEST_JSONL = 'manifest.jsonl'

const MAX_NAME_BYTES = 255
const SUFFIX = '.json'

/**
 * `<recording>.json` beside the recording: its whole name plus `.json`, so `a.wav` and `a.mp3` get
 * two. A name already near the 255-byte limit of a file name has its end cut (whole characters) to
 * leave room: the sidecar must be writable whatever the recording is called.
 */
export function sidecarPath(localPath: string): string {
  const slash = localPath.lastIndexOf('/')
  const base = localPath.slice(slash + 1)
  if (Buffer.byteLength(base) + SUFFIX.length <= MAX_NAME_BYTES) return `${localPath}${SUFFIX}`
  let cut = ''
  for (const ch of base) {
    if (Buffer.byteLength(cut + ch) + SUFFIX.length > MAX_NAME_BYTES) break
    cut += ch
  }
  return `${localPath.slice(0, slash + 1)}${cut}${SUFFIX}`
}

const isText = (v: unknown): v is string => typeof v === 'string'
const optionalText = (v: unknown): boolean => v === undefined || isText(v)

/** A line of manifest.jsonl, or undefined when it is not one (edited by hand, cut short). */
export function parseManifestLine(line: string): ManifestRow | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const r = value as Record<string, unknown>
  if (!isText(r.localPath) || r.localPath === '' || !isText(r.fileName)) return undefined
  if (typeof r.bytes !== 'number' || !Number.isSafeInteger(r.bytes) || r.bytes < 0) return undefined
  if (!optionalText(r.sha256) || !optionalText(r.crc64)) return undefined
  if (typeof r.meta !== 'object' || r.meta === null) return undefined
  return value as ManifestRow
}

/** The same record for manifest.jsonl and a sidecar: the row's own fields, in the contract's order. */
export function manifestRecord(row: ManifestRow): ManifestRow {
  const { localPath, fileName, bytes, crc64, sha256, downloadedAt, verifiedBy, meta } = row
  return { localPath, fileName, bytes, crc64, sha256, downloadedAt, verifiedBy, meta } as ManifestRow
}
