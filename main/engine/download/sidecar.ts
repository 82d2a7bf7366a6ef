import { readFile, writeFile } from 'node:fs/promises'
import { localError, removeIfPresent } from './part-io.ts'

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
    text = await readFile(file, 'utf8')
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
    else await writeFile(file, [sidecar.etag, sidecar.size ?? '', sidecar.crc64 ?? ''].join('\n'), 'utf8')
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
