import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat } from 'node:fs/promises'
import { Crc64 } from './crc64.ts'
import { transportError } from './oss-errors.ts'
import { secureUrl } from './secure-url.ts'
import { TransferWatch } from './transfer-watch.ts'
import { parseContentRange } from './verify.ts'

/**
 * What a file already at the destination is: the recording byte for byte (`same`), shown to be
 * another (`different`: OSS's size or CRC-64 says so), or not known (`unknown`: no CRC-64 came, or
 * the reply was no 206, an expired URL or a busy server among them). `none`: no regular file there.
 */
export type ExistingFile =
  | { readonly kind: 'same'; readonly bytes: number; readonly crc64: string; readonly sha256: string }
  | { readonly kind: 'different' | 'unknown' | 'none' }

const NONE: ExistingFile = { kind: 'none' }
const UNKNOWN: ExistingFile = { kind: 'unknown' }
const DIFFERENT: ExistingFile = { kind: 'different' }

/**
 * Judges a file already at the destination by a one-byte ranged GET (its 206 carries the total
 * size and the whole object's CRC-64) instead of downloading it again. Not HEAD: OSS signs the
 * method into a presigned URL, and the URL is signed for GET. This closes the one window a crash
 * can leave: a verified file renamed into place whose `done` line was not yet journalled. Only a
 * conclusive answer is `different`: what cannot be told is for the download itself to settle.
 */
export async function probeExisting(url: string, dest: string, fetchFn: typeof fetch, signal?: AbortSignal, timeoutMs = 60_000): Promise<ExistingFile> {
  let size: number
  try {
    // lstat: a link at the destination is not our file, however well its target matches.
    const s = await lstat(dest)
    if (!s.isFile()) return NONE
    size = s.size
  } catch {
    return NONE
  }
  // The download's own rules: a silent server times out, a redirect is not followed, and a
  // failure is a catalog code the export retries (a reset here once failed the file for good).
  const watch = new TransferWatch(signal, timeoutMs)
  let res: Response
  try {
    res = await fetchFn(secureUrl(url), { headers: { range: 'bytes=0-0' }, signal: watch.signal, redirect: 'manual' })
  } catch (e) {
    throw watch.stopped() ?? transportError(e)
  } finally {
    watch.dispose()
  }
  // A 200 is the whole object (an empty one, or a server ignoring Range): not worth reading here,
  // but for an empty object, whose 200 says all there is to say.
  await res.body?.cancel().catch(() => undefined)
  const empty = res.status === 200 && size === 0 && res.headers.get('content-length') === '0'
  if (res.status !== 206 && !empty) return UNKNOWN
  const remoteCrc = res.headers.get('x-oss-hash-crc64ecma')
  const total = empty ? 0 : parseContentRange(res.headers.get('content-range'))?.total
  if (!remoteCrc || total === undefined) return UNKNOWN
  if (total !== size) return DIFFERENT
  const crc = new Crc64()
  const sha = createHash('sha256')
  for await (const chunk of createReadStream(dest, signal ? { signal } : {})) {
    crc.update(chunk as Buffer)
    sha.update(chunk as Buffer)
  }
  const local = crc.digest()
  return local === remoteCrc.trim() ? { kind: 'same', bytes: size, crc64: local, sha256: sha.digest('hex') } : DIFFERENT
}
