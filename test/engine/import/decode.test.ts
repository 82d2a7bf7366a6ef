import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import {
  createUtf8Decoder,
  detectBom,
  guessUtf16,
  isUtf8Sample,
  type DecodeOptions,
  type TextEncodingName,
} from '../../../main/engine/import/decode.ts'
import { gbkInDisguise } from '../../../main/engine/import/gbk-disguise.ts'
import { ImportError } from '../../../main/engine/import/import-error.ts'

const TEXT = '录音文件名,话务ID,坐席\r\n153128491143400080327683.wav,job-1,张三\r\n𠀀𠀁.wav,job-2,李四·王五\r\n'
// Found by a reviewer: in GBK every one of these agents' bytes pairs into a two-byte UTF-8 sequence.
const SHORT = 'FileName,Agent,Caller\r\na1.wav,袁泉,13800000000\r\na2.wav,郑爽,13900000000\r\n'

function encode(text: string, encoding: TextEncodingName, bom: boolean): Buffer {
  const body = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding)
  const mark = { 'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe], 'utf-16be': [0xfe, 0xff], 'gb18030': [] }[encoding]
  return Buffer.concat([Buffer.from(bom ? mark : []), body])
}

/** Feeds the bytes in chunks of the given sizes (cycled) and returns the text and what was detected. */
function decode(bytes: Buffer, sizes: number[], options: DecodeOptions = {}) {
  const d = createUtf8Decoder(options)
  const out: Buffer[] = []
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!
    out.push(d.write(bytes.subarray(i, i + n)))
    i += n
  }
  out.push(d.end())
  return { text: Buffer.concat(out).toString('utf8'), encoding: d.encoding, bom: d.bom }
}

describe('detectBom', () => {
  it('knows the three marks and nothing else', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', length: 3 })
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', length: 2 })
    expect(detectBom(Buffer.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: 'utf-16be', length: 2 })
    expect(detectBom(Buffer.from([0xef, 0xbb]))).toBeNull()
    expect(detectBom(Buffer.from('FileName'))).toBeNull()
  })
})

describe('isUtf8Sample', () => {
  it('forgives a character cut by the end of a sample, not by the end of the file', () => {
    const cut = Buffer.from('名字', 'utf8').subarray(0, 4)
    expect(isUtf8Sample(cut, false)).toBe(true)
    expect(isUtf8Sample(cut, true)).toBe(false)
    expect(isUtf8Sample(iconv.encode('录音文件名', 'gb18030'), false)).toBe(false)
  })
})

describe('gbkInDisguise', () => {
  it('rests on every two-byte UTF-8 sequence being a CJK ideograph in GB18030', () => {
    const gb18030 = new TextDecoder('gb18030')
    for (let lead = 0xc2; lead <= 0xdf; lead++) {
      for (let trail = 0x80; trail <= 0xbf; trail++) {
        const c = gb18030.decode(Buffer.from([lead, trail])).codePointAt(0)!
        expect(c >= 0x4e00 && c <= 0x9fff, `${lead.toString(16)} ${trail.toString(16)}`).toBe(true)
      }
    }
  })

  it('calls GBK the words no names file holds, and text the ones real scripts write', () => {
    const utf8 = (text: string) => iconv.encode(text, 'gb18030').toString('utf8')
    expect(utf8('袁泉,郑爽')).toBe('ԬȪ,֣ˬ')
    expect(gbkInDisguise(utf8('袁泉,郑爽'))).toBe(true) // scripts mixed within a word
    expect(gbkInDisguise(utf8('女'))).toBe(true) // a lone Latin letter
    expect(gbkInDisguise('a,\u0085')).toBe(true) // a C1 control
    expect(gbkInDisguise('ɐʃ')).toBe(true) // IPA
    expect(gbkInDisguise('Сл')).toBe(true) // two Cyrillic letters: as likely two GBK characters
    expect(gbkInDisguise('José Müller')).toBe(false)
    expect(gbkInDisguise('Ольга,שלום,محمد')).toBe(false)
    expect(gbkInDisguise('José,ԬȪ')).toBe(false) // a tie stays UTF-8
    expect(gbkInDisguise('José,ԬȪ,֣ˬ')).toBe(true)
    expect(gbkInDisguise('°,¥,«»')).toBe(false) // punctuation is no evidence
    expect(gbkInDisguise('ԬȪ,张三')).toBe(false) // three-byte UTF-8 settles it
    expect(gbkInDisguise('')).toBe(false)
  })
})

describe('guessUtf16', () => {
  it('reads where the NULs fall', () => {
    expect(guessUtf16(iconv.encode('FileName\r\n1.wav', 'utf-16le'))).toBe('utf-16le')
    expect(guessUtf16(iconv.encode('FileName\r\n1.wav', 'utf-16be'))).toBe('utf-16be')
    expect(guessUtf16(Buffer.from('RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00', 'latin1'))).toBeNull()
  })
})

describe('createUtf8Decoder', () => {
  const cases: [TextEncodingName, boolean][] = [
    ['utf-8', false],
    ['utf-8', true],
    ['utf-16le', true],
    ['utf-16be', true],
    ['gb18030', false],
  ]
  for (const [encoding, bom] of cases) {
    for (const via of ['native', 'iconv'] as const) {
      it(`decodes ${encoding}${bom ? ' with BOM' : ''} via ${via}, however the bytes are chunked`, () => {
        for (const text of [TEXT, SHORT]) {
          const bytes = encode(text, encoding, bom)
          for (const sizes of [[bytes.length], [1], [2, 3, 5], [7, 1, 600]]) {
            expect(decode(bytes, sizes, { via }), `${text.slice(0, 8)} in chunks ${sizes.join(',')}`).toEqual({
              text,
              encoding,
              bom,
            })
          }
        }
      })
    }
  }

  it('reads a short GBK file whose bytes happen to be valid UTF-8 as GBK', () => {
    const bytes = encode(SHORT, 'gb18030', false)
    expect(isUtf8Sample(bytes, true)).toBe(true) // the trap: as UTF-8 the agents are "ԬȪ", "֣ˬ"
    expect(decode(bytes, [bytes.length])).toEqual({ text: SHORT, encoding: 'gb18030', bom: false })
    // One agent is enough, and so is a one-character column (女 alone reads as "Ů").
    for (const text of ['a1.wav,袁泉\n', 'FileName,Gender\na1.wav,女\n']) {
      expect(decode(encode(text, 'gb18030', false), [3])).toEqual({ text, encoding: 'gb18030', bom: false })
    }
  })

  it('reads such GBK as GBK when it arrives after the first chunks, however far into the file', () => {
    const ascii = 'FileName,Agent\n' + '153128491143400080327683.wav,agent-1\n'.repeat(5000)
    for (const text of [ascii + 'a1.wav,袁泉\na2.wav,郑爽\n', 'FileName,Agent\n' + 'x'.repeat(600) + '.wav,袁泉\n']) {
      const bytes = encode(text, 'gb18030', false)
      expect(isUtf8Sample(bytes, true)).toBe(true)
      for (const sizes of [[4096], [1], [511, 2]]) {
        expect(decode(bytes, sizes), `chunks ${sizes.join(',')}`).toEqual({ text, encoding: 'gb18030', bom: false })
      }
    }
  })

  it('keeps UTF-8 whose only non-ASCII letters are two-byte ones: European, pinyin, Cyrillic, Greek', () => {
    const names = [
      'José Müller',
      'André', // the accent ends the word, so its plain letters all went by in ASCII
      'François Lefèvre',
      'Łukasz Żółć',
      'Émile Zoë',
      'Zhāng Sān,Lǚ Bù', // pinyin with tone marks
      'e\u0301cole', // decomposed, as macOS writes it
      'Иван Петров',
      'Αλέξης',
      '¥100 NBSP\u00a0°C',
    ]
    for (const name of names) {
      const text = `FileName,Agent\r\na1.wav,${name}\r\n`
      // Chunks of one byte send "Andr" on before "é" is seen: the word must still count as Latin.
      for (const sizes of [[1], [text.length]]) {
        expect(decode(encode(text, 'utf-8', false), sizes), `${name} in ${sizes[0]}`).toEqual({
          text,
          encoding: 'utf-8',
          bom: false,
        })
      }
    }
  })

  it('keeps UTF-8 that looks garbled at first once a three-byte character follows, and UTF-8 with a BOM', () => {
    const text = 'a1.wav,ԬȪ\na2.wav,张三\n'
    expect(decode(encode(text, 'utf-8', false), [9])).toEqual({ text, encoding: 'utf-8', bom: false })
    const marked = 'a1.wav,ԬȪ\n'
    expect(decode(encode(marked, 'utf-8', true), [1])).toEqual({ text: marked, encoding: 'utf-8', bom: true })
  })

  it('recognises UTF-16LE without a BOM (Excel "Unicode text" saved by other tools)', () => {
    expect(decode(encode(TEXT, 'utf-16le', false), [100])).toEqual({ text: TEXT, encoding: 'utf-16le', bom: false })
  })

  it('decides on the text after the first non-ASCII byte, even far into the file', () => {
    const ascii = 'FileName,Agent\n' + '153128491143400080327683.wav,agent-1\n'.repeat(5000)
    const text = ascii + '153128491143400080327684.wav,张三\n'
    expect(decode(encode(text, 'gb18030', false), [4096])).toEqual({ text, encoding: 'gb18030', bom: false })
    expect(decode(encode(text, 'utf-8', false), [4096])).toEqual({ text, encoding: 'utf-8', bom: false })
  })

  it('is not misled when the UTF-8 sample ends in the middle of a character', () => {
    // The sample is taken once 64 KiB follow the first non-ASCII byte: make that cut a 3-byte character.
    const text = 'a,b\n' + '中'.repeat(30_000)
    const bytes = Buffer.from(text, 'utf8')
    const first = 4 + 65_537
    expect((first - 4) % 3).not.toBe(0)
    expect(decode(bytes, [first, bytes.length])).toEqual({ text, encoding: 'utf-8', bom: false })
  })

  it('calls an all-ASCII file UTF-8 and passes it through', () => {
    expect(decode(Buffer.from('1.wav\n2.wav\n'), [3])).toEqual({ text: '1.wav\n2.wav\n', encoding: 'utf-8', bom: false })
    expect(decode(Buffer.alloc(0), [1])).toEqual({ text: '', encoding: 'utf-8', bom: false })
  })

  it('keeps a forced encoding, dropping only its own BOM', () => {
    const bytes = encode('名字.wav\n', 'utf-8', true)
    expect(decode(bytes, [64], { encoding: 'utf-8' })).toEqual({ text: '名字.wav\n', encoding: 'utf-8', bom: true })
    const gbk = encode('名字.wav\n', 'gb18030', false)
    expect(decode(gbk, [64], { encoding: 'gb18030' })).toEqual({ text: '名字.wav\n', encoding: 'gb18030', bom: false })
  })

  it('refuses a binary file, naming it', () => {
    const wav = Buffer.concat([Buffer.from('RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00', 'latin1'), Buffer.alloc(600, 7)])
    let error: unknown
    try {
      decode(wav, [wav.length], { file: '/tmp/x/1.wav' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ImportError)
    expect(error).toMatchObject({ code: 'Import.NotText', file: '/tmp/x/1.wav' })
    expect((error as Error).message).toMatch(/^1\.wav: not a text file/)
  })

  it('tells an Excel 97-2003 workbook (.xls) by its bytes, and says what to save it as', () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 0)])
    expect(() => decode(xls, [xls.length], { file: '/tmp/x/calls.xls' })).toThrow(/^calls\.xls: an Excel 97-2003 workbook \(\.xls\), which is not read: in Excel, save it as Excel Workbook \(\.xlsx\) or CSV UTF-8$/)
  })
})
