import { describe, expect, it } from 'vitest'
import { ImportError } from '../../../main/engine/import/import-error.ts'
import { firstLine, LineSplitter, MAX_RECORD_BYTES, sniffFormat, splitRows } from '../../../main/engine/import/rows.ts'

describe('sniffFormat', () => {
  it('follows the extension, then the first line', () => {
    expect(sniffFormat('FileName,Agent', '.csv')).toBe('csv')
    expect(sniffFormat('FileName', '.csv')).toBe('csv')
    expect(sniffFormat('FileName\tAgent', '.CSV')).toBe('tsv')
    expect(sniffFormat('FileName,Agent', '.tsv')).toBe('tsv')
    expect(sniffFormat('FileName\tAgent', '.txt')).toBe('tsv')
    expect(sniffFormat('FileName,Agent', '.txt')).toBe('csv')
    expect(sniffFormat('"FileName"', '')).toBe('csv')
    expect(sniffFormat('153128491143400080327683.wav', '.txt')).toBe('list')
    expect(sniffFormat('a b.wav', '')).toBe('list')
  })
})

describe('firstLine', () => {
  it('skips blank lines and tells the line ending', () => {
    expect(firstLine(Buffer.from('\r\n  \r\nFileName,x\r\n1'), false)).toEqual({ line: 'FileName,x', crOnly: false })
    expect(firstLine(Buffer.from('a.wav\rb.wav\r'), false)).toEqual({ line: 'a.wav', crOnly: true })
    expect(firstLine(Buffer.from('a.wav'), true)).toEqual({ line: 'a.wav', crOnly: false })
  })

  it('asks for more when the line, or its CRLF, may go on', () => {
    expect(firstLine(Buffer.from('\n\nFileNa'), false)).toBeNull()
    expect(firstLine(Buffer.from('a.wav\r'), false)).toBeNull()
    expect(firstLine(Buffer.from(''), false)).toBeNull()
    expect(firstLine(Buffer.from(''), true)).toEqual({ line: '', crOnly: false })
  })
})

describe('LineSplitter', () => {
  function split(text: string, sizes: number[], separator = 0x0a): string[] {
    const out: string[] = []
    const s = new LineSplitter(separator, (cells) => out.push(cells[0]!), () => {
      throw new Error('too long')
    })
    const bytes = Buffer.from(text, 'utf8')
    for (let i = 0, k = 0; i < bytes.length; k++) {
      const n = sizes[k % sizes.length]!
      s.write(bytes.subarray(i, i + n))
      i += n
    }
    s.end()
    return out
  }

  it('gives one row a line, blank lines included, as csv-parse does', () => {
    const text = '1.wav\r\n\r\n名字.wav\n3.wav\n\n'
    const want = ['1.wav', '', '名字.wav', '3.wav', '']
    for (const sizes of [[100], [1], [2, 5]]) expect(split(text, sizes), sizes.join()).toEqual(want)
    expect(split('1.wav\n2.wav', [4])).toEqual(['1.wav', '2.wav'])
    expect(split('', [1])).toEqual([])
  })

  it('splits on a lone CR when told to', () => {
    expect(split('1.wav\r2.wav\r', [3], 0x0d)).toEqual(['1.wav', '2.wav'])
  })

  it('stops a line that never ends', () => {
    expect(() => split('x'.repeat(MAX_RECORD_BYTES + 10), [64 * 1024])).toThrow('too long')
  })
})

describe('splitRows', () => {
  async function rows(text: string, extension: string, chunk = 7) {
    const bytes = Buffer.from(text, 'utf8')
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk)
    }
    const out: string[][] = []
    const format = await splitRows(chunks(), (cells) => out.push(cells), { extension, file: 'x.csv', rowsSeen: () => out.length })
    return { format, out }
  }

  it('parses quoted CSV across chunk boundaries', async () => {
    expect(await rows('FileName,Note\r\n"1.wav","a, b\r\nc"\r\n,\r\n2.wav,"say ""hi"""\r\n', '.csv')).toEqual({
      format: 'csv',
      out: [['FileName', 'Note'], ['1.wav', 'a, b\r\nc'], ['', ''], ['2.wav', 'say "hi"']],
    })
  })

  it('sniffs TSV and plain lists', async () => {
    expect(await rows('\nFileName\tAgent\n1.wav\t张三\n', '.txt')).toEqual({
      format: 'tsv',
      out: [[''], ['FileName', 'Agent'], ['1.wav', '张三']],
    })
    expect(await rows('1.wav\n2.wav\n', '')).toEqual({ format: 'list', out: [['1.wav'], ['2.wav']] })
  })

  it('tells CRLF from a lone CR when the bytes trickle in one at a time', async () => {
    expect(await rows('\r\n1.wav\r\n2.wav\r\n', '', 1)).toEqual({ format: 'list', out: [[''], ['1.wav'], ['2.wav']] })
    expect(await rows('1.wav\r2.wav\r', '', 1)).toEqual({ format: 'list', out: [['1.wav'], ['2.wav']] })
  })

  it('names the row whose quote is never closed', async () => {
    const error = await rows('FileName\n1.wav\n"2.wav\n3.wav\n', '.csv').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect(error).toMatchObject({ code: 'Import.UnclosedQuote', reason: 'unclosed-quote', row: 3, file: 'x.csv', handling: 'fatal' })
    expect((error as Error).message).toMatch(/^x\.csv: row 3: a quoted field is never closed/)
  })
})
