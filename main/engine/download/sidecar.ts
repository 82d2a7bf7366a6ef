import { constants as fsConstants } from 'node:fs'
import { open } from 'node:fs/promises'
import { localError, regularSize, removeIfPresent } from './part-io.ts'

// Like the `.part`: a link planted at the sidecar is neither read nor written through.
// O_NONBLOCK: a FIFO there fails at once instead of hanging the open.
const NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0
const GUARDS = NOFOLLOW | (fsConstants.O_NONBLOCK ?? 0)
const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC } = fsConstants

/**
 * `<dest>.part.etag`: what is known of the bytes in `<dest>.part`. The object version (ETag) lets a
 * later run (even after a crash, with nothing else remembered) ask for the rest with `If-Range` and
 * never splice two versions together; without it a `.part` cannot be trusted and starts over. The
 * object's size and CRC-64, from the reply that started the `.part`, let a `.part` that holds every
 * byte (the process died between the last byte and the rename) be checked and kept without asking
 * OSS again: a Range from the end would be unsatisfiable and OSS would send the whole object.
 */
export interface Sidecar {
  readonly etag: string
  readonly size?: number
  readonly crc64?: string
}

export async function readSidecar(file: string): Promise<Sidecar | undefined> {
  let text: string
  try {
    if (!NOFOLLOW && (await regularSize(file, false)) === 0) return undefined
    const fh = await open(file, O_RDONLY | GUARDS)
    try {
      if (!(await fh.stat()).isFile()) return undefined
      text = await fh.readFile('utf8')
    } finally {
      await fh.close()
    }
  } catch {
    return undefined // missing or unreadable: the .part just starts over
  }
  const [etag, size, crc64] = text.split('\n').map((l) => l.trim())
  if (!etag) return undefined
  const n = Number(size)
  return { etag, ...(size && Number.isSafeInteger(n) && n >= 0 ? { size: n } : {}), ...(crc64 && /^\d+$/.test(crc64) ? { crc64 } : {}) }
}

/** Records (or, for undefined, forgets) the version of the bytes in the `.part`. */
export async function writeSidecar(file: string, sidecar: Sidecar | undefined): Promise<void> {
  try {
    if (sidecar === undefined) await removeIfPresent(file)
    else await writeText(file, [sidecar.etag, sidecar.size ?? '', sidecar.crc64 ?? ''].join('\n'))
  } catch (e) {
    throw localError(e, 'write', file)
  }
}

/** The sidecar a reply calls for: none without a strong ETag, since nothing could resume it. */
export function sidecarOf(etag: string | undefined, size: number | undefined, crc64: string | undefined): Sidecar | undefined {
  if (etag === undefined) return undefined
  return { etag, ...(size === undefined ? {} : { size }), ...(crc64 === undefined ? {} : { crc64 }) }
}

export function sameSidecar(a: Sidecar | undefined, b: Sidecar | undefined): boolean {
  return a?.etag === b?.etag && a?.size === b?.size && a?.crc64 === b?.crc64
}

/** Replaces the file's text; a link or special file there is removed first, never written through. */
async function writeText(file: string, text: string): Promise<void> {
  const flags = O_WRONLY | O_CREAT | O_TRUNC | GUARDS
  if (!NOFOLLOW) await regularSize(file, true)
  let fh = await open(file, flags).catch(async (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ELOOP' && code !== 'ENXIO') throw e
    await regularSize(file, true)
    return open(file, flags)
  })
  try {
    if (!(await fh.stat()).isFile()) {
      await fh.close()
      await regularSize(file, true)
      fh = await open(file, flags)
    }
    await fh.writeFile(text, 'utf8')
  } finally {
    await fh.close().catch(() => {})
  }
}
