import { extname } from 'node:path'
import { CccError } from '../../common/errors.ts'
import type { HeaderSource } from './verify.ts'

/**
 * Whether a body without a checksum can still be taken for the recording (issue 17 item 2). Real
 * OSS always sends a CRC-64; a proxy or a captive portal does not, and what it sends instead (a
 * login page, an XML error, a gzip of something) is refused here by its headers and its first
 * bytes, since a length alone would make a 512-byte HTML page a 512-byte recording.
 */

/** How a downloaded file was shown to be the object. */
export type VerifiedBy = 'crc64' | 'md5' | 'length'

/** Enough of a file's start for every magic below. */
export const HEAD_BYTES = 12

type Magic = (head: Uint8Array) => boolean

const ascii = (head: Uint8Array, at: number, text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (head[at + i] !== text.charCodeAt(i)) return false
  return true
}

const WAV: Magic = (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE')
// Matroska and WebM both start with the EBML header element.
const EBML: Magic = (h) => h[0] === 0x1a && h[1] === 0x45 && h[2] === 0xdf && h[3] === 0xa3
// An ID3v2 tag, or straight into an MPEG audio frame (11 bits of sync).
const MP3: Magic = (h) => ascii(h, 0, 'ID3') || (h[0] === 0xff && ((h[1] ?? 0) & 0xe0) === 0xe0)
const OGG: Magic = (h) => ascii(h, 0, 'OggS')
const FLAC: Magic = (h) => ascii(h, 0, 'fLaC')
const AMR: Magic = (h) => ascii(h, 0, '#!AMR')
const MP4: Magic = (h) => ascii(h, 4, 'ftyp')

const BY_EXTENSION: Readonly<Record<string, Magic>> = {
  '.wav': WAV,
  '.mkv': EBML,
  '.webm': EBML,
  '.mka': EBML,
  '.mp3': MP3,
  '.ogg': OGG,
  '.opus': OGG,
  '.flac': FLAC,
  '.amr': AMR,
  '.mp4': MP4,
  '.m4a': MP4,
}
const ANY_RECORDING: readonly Magic[] = [WAV, EBML, MP3, OGG, FLAC, AMR, MP4]

/**
 * The head is the kind of file the name says (`.wav` must be RIFF/WAVE); a name with another
 * extension accepts any recording format we know, never text.
 */
export function looksLikeRecording(fileName: string, head: Uint8Array): boolean {
  const expected = BY_EXTENSION[extname(fileName).toLowerCase()]
  return expected ? expected(head) : ANY_RECORDING.some((m) => m(head))
}

/** A page or a document, never a recording (text/html, text/*, XML, JSON). */
export function isDocumentType(contentType: string | null | undefined): boolean {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  return type.startsWith('text/') || type.endsWith('/xml') || type.endsWith('+xml') || type.endsWith('/json') || type === 'application/xhtml+xml'
}

/**
 * We ask for identity; any other Content-Encoding means something between us and OSS rewrote the
 * body, and fetch may even have decoded it behind our back: refused whatever checksum comes with it.
 */
export function refusedEncoding(headers: HeaderSource): string | undefined {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase()
  return encoding && encoding !== 'identity' ? encoding : undefined
}

export function badContent(message: string): CccError {
  return new CccError({ code: 'Oss.BadContent', message })
}

export function unverifiable(message: string): CccError {
  return new CccError({ code: 'Oss.Unverifiable', message })
}
