import { isAscii } from 'node:buffer'
import { createRequire } from 'node:module'
import { ImportError } from './import-error.ts'
import { gbkInDisguise } from './gbk-disguise.ts'

// The first bytes of an OLE2 compound file: an Excel 97–2003 workbook.
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

/** The encodings a names file may arrive in (architecture.md, "Sources of file names"). */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'

export interface DecodeOptions {
  /** Skip detection. A BOM of the same encoding is still dropped. */
  encoding?: TextEncodingName
  /**
   * `native` (default) uses TextDecoder when this runtime's ICU knows the encoding (Node and
   * Electron ship full ICU; it is about twice as fast as iconv-lite for GB18030) and iconv-lite
   * otherwise; `iconv` always uses iconv-lite.
   */
  via?: 'native' | 'iconv'
  /** Names the input in errors. */
  file?: string
}

/**
 * Turns the bytes of a names file, in whatever encoding, into UTF-8 bytes, chunk by chunk. UTF-8
 * passes through untouched (the CSV parser works on bytes, so decoding to a string and back
 * would be wasted work on a million rows). It holds bytes back only until it knows the encoding.
 */
export interface Utf8Decoder {
  write(chunk: Uint8Array): Buffer
  end(): Buffer
  /** What the input turned out to be; `utf-8` while only ASCII has been seen. */
  readonly encoding: TextEncodingName
  readonly bom: boolean
}

const BOMS: readonly { bytes: readonly number[]; encoding: TextEncodingName }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
]

/** The byte-order mark the bytes start with, if any. */
export function detectBom(head: Uint8Array): { encoding: TextEncodingName; length: number } | null {
  for (const { bytes, encoding } of BOMS) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) {
      return { encoding, length: bytes.length }
    }
  }
  return null
}

/**
 * Whether the bytes are valid UTF-8. When they are only the start of the input (`complete`
 * false), a character cut by the end of the sample is not held against them.
 */
export function isUtf8Sample(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete })
    return true
  } catch {
    return false
  }
}

/**
 * UTF-16 without a BOM (outside the contract, but cheap to recognise): the NUL high bytes of
 * ASCII characters fall almost all on odd offsets (LE) or even ones (BE). Binary files, whose
 * NULs fall anywhere, are refused instead.
 */
export function guessUtf16(head: Uint8Array): TextEncodingName | null {
  let even = 0
  let odd = 0
  for (let i = 0; i < head.length; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) even++
      else odd++
    }
  }
  if (odd >= 4 * even && odd >= 2) return 'utf-16le'
  if (even >= 4 * odd && even >= 2) return 'utf-16be'
  return null
}

// Enough bytes to see a BOM, a UTF-16 NUL pattern and the NULs of a binary file's header.
const START_BYTES = 512
// How much text after the first non-ASCII byte decides between UTF-8 and GB18030: GBK text of
// this length that happens to be valid UTF-8 does not occur in practice.
const SNIFF_BYTES = 64 * 1024
const EMPTY: Buffer = Buffer.alloc(0)

interface Transcoder {
  write(b: Buffer): string
  end(): string
}

function nativeTranscoder(encoding: TextEncodingName): Transcoder | null {
  let td: TextDecoder
  try {
    // The BOM, if any, is already gone; a second one would be data.
    td = new TextDecoder(encoding, { ignoreBOM: true })
  } catch {
    return null // small-ICU builds know only UTF-8 and UTF-16LE
  }
  return { write: (b) => td.decode(b, { stream: true }), end: () => td.decode() }
}

// Loaded on first use: Node and Electron decode GB18030 and UTF-16 natively (full ICU), so most
// imports never need iconv-lite's tables, about 7 MB of memory.
let iconvModule: typeof import('iconv-lite') | undefined

function iconvTranscoder(encoding: TextEncodingName): Transcoder {
  const iconv = (iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite'))
  const d = iconv.getDecoder(encoding, { stripBOM: false })
  return { write: (b) => d.write(b), end: () => d.end() ?? '' }
}

type State = 'start' | 'ascii' | 'sniff' | 'decided'

class Decoder implements Utf8Decoder {
  encoding: TextEncodingName = 'utf-8'
  bom = false
  private state: State = 'start'
  // The first bytes, until a BOM or NULs can be looked for.
  private pending: Buffer = EMPTY
  // From the first non-ASCII byte on, until there is enough to tell UTF-8 from GB18030.
  private held: Buffer[] = []
  private heldBytes = 0
  private transcoder: Transcoder | null = null
  // The ASCII character before the first non-ASCII byte: the start of its word ("Jos" + "é").
  private lastAscii = ''

  constructor(private readonly options: DecodeOptions) {}

  write(chunk: Uint8Array): Buffer {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    switch (this.state) {
      case 'start':
        this.pending = this.pending.length === 0 ? buf : Buffer.concat([this.pending, buf])
        return this.pending.length < START_BYTES ? EMPTY : this.begin(false)
      case 'ascii':
        return this.ascii(buf, false)
      case 'sniff':
        this.held.push(buf)
        this.heldBytes += buf.length
        return this.heldBytes < SNIFF_BYTES ? EMPTY : this.decide(false)
      case 'decided':
        return this.transcode(buf)
    }
  }

  end(): Buffer {
    let out: Buffer = EMPTY
    if (this.state === 'start') out = this.begin(true)
    else if (this.state === 'sniff') out = this.decide(true)
    const tail = this.transcoder ? Buffer.from(this.transcoder.end(), 'utf8') : EMPTY
    this.state = 'decided'
    return tail.length === 0 ? out : Buffer.concat([out, tail])
  }

  private begin(complete: boolean): Buffer {
    const head = this.pending
    this.pending = EMPTY
    const bom = detectBom(head)
    const forced = this.options.encoding
    if (forced) {
      const skip = bom?.encoding === forced ? bom.length : 0
      this.bom = skip > 0
      return this.use(forced, head.subarray(skip))
    }
    if (bom) {
      this.bom = true
      return this.use(bom.encoding, head.subarray(bom.length))
    }
    if (head.includes(0)) {
      const guess = guessUtf16(head)
      if (guess) return this.use(guess, head)
      // Excel 97–2003 (.xls) is an OLE2 compound file: say what to save it as.
      const xls = OLE2_MAGIC.every((b, i) => head[i] === b)
      throw new ImportError(
        'not-text',
        this.options.file ?? 'input',
        xls
          ? 'an Excel 97-2003 workbook (.xls), which is not read: in Excel, save it as Excel Workbook (.xlsx) or CSV UTF-8'
          : 'not a text file (it contains NUL bytes); expected CSV, TSV or TXT',
      )
    }
    this.state = 'ascii'
    return this.ascii(head, complete)
  }

  // Until the first non-ASCII byte, UTF-8 and GB18030 agree, so the text passes through unchanged.
  private ascii(buf: Buffer, complete: boolean): Buffer {
    if (isAscii(buf)) {
      if (buf.length > 0) this.lastAscii = String.fromCharCode(buf[buf.length - 1]!)
      return buf
    }
    let i = 0
    while (buf[i]! < 0x80) i++
    if (i > 0) this.lastAscii = String.fromCharCode(buf[i - 1]!)
    this.held = [buf.subarray(i)]
    this.heldBytes = buf.length - i
    this.state = 'sniff'
    const rest = complete || this.heldBytes >= SNIFF_BYTES ? this.decide(complete) : EMPTY
    return Buffer.concat([buf.subarray(0, i), rest])
  }

  private decide(complete: boolean): Buffer {
    const sample = Buffer.concat(this.held, this.heldBytes)
    this.held = []
    // Judge the same amount of text however the file arrives in chunks: a stray bad byte far
    // into a UTF-8 file must not turn all of it into GB18030 mojibake.
    const judged = sample.length > SNIFF_BYTES ? sample.subarray(0, SNIFF_BYTES) : sample
    const whole = complete && judged === sample
    const utf8 =
      isUtf8Sample(judged, whole) &&
      !gbkInDisguise(this.lastAscii + new TextDecoder('utf-8', { ignoreBOM: true }).decode(judged, { stream: !whole }))
    return this.use(utf8 ? 'utf-8' : 'gb18030', sample)
  }

  private use(encoding: TextEncodingName, first: Buffer): Buffer {
    this.encoding = encoding
    this.state = 'decided'
    if (encoding !== 'utf-8') {
      this.transcoder = (this.options.via !== 'iconv' && nativeTranscoder(encoding)) || iconvTranscoder(encoding)
    }
    return this.transcode(first)
  }

  private transcode(buf: Buffer): Buffer {
    if (!this.transcoder) return buf
    const text = this.transcoder.write(buf)
    return text.length === 0 ? EMPTY : Buffer.from(text, 'utf8')
  }
}

export function createUtf8Decoder(options: DecodeOptions = {}): Utf8Decoder {
  return new Decoder(options)
}
