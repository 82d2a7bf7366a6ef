import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAbortError } from '../../../main/common/errors.ts'
import { importNames, parseNameList, type ImportOptions, type ImportResult } from '../../../main/engine/import/csv.ts'
import type { TextEncodingName } from '../../../main/engine/import/decode.ts'
import { refuseNonRecordingNames } from '../../../main/engine/import/collect.ts'
import { parseContactIdList } from '../../../main/engine/import/contact-ids.ts'
import { ImportError } from '../../../main/engine/import/import-error.ts'
import { rejectionOf } from '../../rejection.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccc-import-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `text` as Excel or a text editor would save it, and returns the path. */
async function fixture(name: string, text: string, encoding: TextEncodingName = 'utf-8', bom = false): Promise<string> {
  const body = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding)
  const mark = bom ? { 'utf-8': 'efbbbf', 'utf-16le': 'fffe', 'utf-16be': 'feff', gb18030: '' }[encoding] : ''
  const path = join(dir, name)
  await writeFile(path, Buffer.concat([Buffer.from(mark, 'hex'), body]))
  return path
}

async function importFile(name: string, text: string, encoding?: TextEncodingName, bom?: boolean, options?: ImportOptions) {
  const result = await importNames(await fixture(name, text, encoding, bom), options)
  expectConsistent(result)
  return result
}

function expectConsistent(r: ImportResult): void {
  const { rows, names, duplicates, blank, invalid } = r.counts
  expect(names + duplicates + blank + invalid, 'every row is accounted for once').toBe(rows)
  expect(r.names.length).toBe(names)
}

const rejection = (p: Promise<unknown>): Promise<ImportError> => rejectionOf(p, ImportError)

// A call-centre sheet as Excel on Chinese Windows saves it: GB18030, CRLF, the name column not first.
const SHEET = [
  '话务ID,坐席,录音文件名,开始时间,备注',
  'job-1,张三,153128491143400080327683.wav,2024-01-01 10:00:00,客户投诉',
  'job-2,李四,153128491143400080327684.wav,2024-01-01 10:05:00,',
  'job-3,王五,153128491143400080327683.wav,2024-01-01 10:09:00,重复',
  'job-4,赵六,,2024-01-01 10:12:00,无录音',
  'job-5,钱七,录音 转接 2.wav,2024-01-01 10:15:00,"转接, 两段"',
  '',
].join('\r\n')

describe('importNames: encodings', () => {
  const WANT = ['153128491143400080327683.wav', '153128491143400080327684.wav', '录音 转接 2.wav']

  it('reads a GB18030 CSV with a 录音文件名 column among others', async () => {
    const r = await importFile('gbk.csv', SHEET, 'gb18030')
    expect(r.names).toEqual(WANT)
    expect(r).toMatchObject({
      encoding: 'gb18030',
      bom: false,
      format: 'csv',
      header: { row: 1, cells: ['话务ID', '坐席', '录音文件名', '开始时间', '备注'] },
      column: { index: 2, name: '录音文件名' },
      counts: { rows: 5, names: 3, duplicates: 1, blank: 0, invalid: 1 },
      // A call with an agent and a time but no recording: named, not dropped as blank.
      invalid: [{ row: 5, value: 'job-4 | 赵六 | 2024-01-01 10:12:00 | 无录音', reason: 'empty', message: 'no file name in this row, which holds' }],
    })
  })

  const variants: [string, TextEncodingName, boolean][] = [
    ['UTF-8', 'utf-8', false],
    ['UTF-8 with BOM', 'utf-8', true],
    ['UTF-16LE with BOM', 'utf-16le', true],
    ['UTF-16BE with BOM', 'utf-16be', true],
  ]
  for (const [label, encoding, bom] of variants) {
    it(`reads the same sheet in ${label}`, async () => {
      const r = await importFile(`${label}.csv`, SHEET, encoding, bom)
      expect(r.names).toEqual(WANT)
      expect(r).toMatchObject({ encoding, bom, column: { index: 2, name: '录音文件名' } })
      expect(r.counts).toEqual({ rows: 5, names: 3, duplicates: 1, blank: 0, invalid: 1 })
    })
  }

  it('reads Excel "Unicode text" (UTF-16LE, tab-separated, .txt)', async () => {
    const r = await importFile('unicode.txt', SHEET.replaceAll(',', '\t').replace('"转接\t 两段"', '转接'), 'utf-16le', true)
    expect(r).toMatchObject({ encoding: 'utf-16le', format: 'tsv', names: WANT })
  })
})

describe('importNames: layouts', () => {
  it('reads a TSV', async () => {
    const r = await importFile('names.tsv', 'Recording\tAgent\n1.wav\t张三\n2.wav\t李四\n')
    expect(r).toMatchObject({ format: 'tsv', names: ['1.wav', '2.wav'], column: { index: 0, name: 'Recording' } })
  })

  it('reads a plain TXT list: no header, blank lines and duplicates counted', async () => {
    const r = await importFile('list.txt', '1.wav\n\n2.wav\n 1.wav \n3.wav')
    expect(r).toMatchObject({ format: 'list', header: null, column: { index: 0, name: null }, names: ['1.wav', '2.wav', '3.wav'] })
    expect(r.counts).toEqual({ rows: 5, names: 3, duplicates: 1, blank: 1, invalid: 0 })
  })

  it('reads a list with old Mac line endings', async () => {
    expect((await importFile('mac.txt', 'FileName\r1.wav\r2.wav\r')).names).toEqual(['1.wav', '2.wav'])
  })

  it('counts rows as Excel does: a quoted line break stays in its row', async () => {
    const text = 'FileName,Note\r\n"1.wav","line one, and\r\nline two"\r\n2.wav,x\r\n../2.wav,y\r\n'
    const r = await importFile('quoted.csv', text)
    expect(r.names).toEqual(['1.wav', '2.wav'])
    expect(r.invalid).toEqual([{ row: 4, value: '../2.wav', reason: 'path-separator', message: expect.any(String) }])
  })

  it('takes the first column when there is no header', async () => {
    const r = await importFile('bare.csv', '1.wav,张三\n2.wav,李四\n')
    expect(r).toMatchObject({ header: null, column: { index: 0, name: null }, names: ['1.wav', '2.wav'] })
  })

  it('handles an Excel sheet with a trailing empty column and empty rows', async () => {
    const text = 'FileName,Agent,\r\n1.wav,张三,\r\n,,\r\n2.wav,李四,\r\n,,\r\n'
    const r = await importFile('excel.csv', text, 'utf-8', true)
    expect(r.names).toEqual(['1.wav', '2.wav'])
    expect(r.counts).toEqual({ rows: 4, names: 2, duplicates: 0, blank: 2, invalid: 0 })
  })

  it('reports invalid rows with the row numbers a spreadsheet shows', async () => {
    const text = [
      '', // 1: blank, before the header
      'file_name,x', // 2: header
      '1.wav,a', // 3
      ',b', // 4: no name, but a row someone filled in
      '../etc/passwd,c', // 5
      '1.wav,d', // 6: duplicate
      '"a\tb.wav",e', // 7
      '..,f', // 8
      '\u200b2.wav\u200e,g', // 9: invisible marks at the ends are trimmed, so valid
      '3\u200b.wav,h', // 10
      'x'.repeat(300) + ',i', // 11
      '',
    ].join('\n')
    const r = await importFile('invalid.csv', text)
    expect(r.header).toEqual({ row: 2, cells: ['file_name', 'x'] })
    expect(r.names).toEqual(['1.wav', '2.wav'])
    expect(r.invalid.map(({ row, reason }) => [row, reason])).toEqual([
      [4, 'empty'],
      [5, 'path-separator'],
      [7, 'control-character'],
      [8, 'dot-name'],
      [10, 'invisible-character'],
      [11, 'too-long'],
    ])
    expect(r.counts).toEqual({ rows: 10, names: 2, duplicates: 1, blank: 1, invalid: 6 })
  })

  it('lists invalid rows up to the cap and counts them all', async () => {
    const r = await importFile('many-bad.txt', 'a/1\na/2\na/3\n4.wav\n', 'utf-8', false, { maxInvalidRows: 2 })
    expect(r.invalid.map((x) => x.row)).toEqual([1, 2])
    expect(r.counts.invalid).toBe(3)
  })

  it('flags names damaged by a wrong encoding instead of importing them', async () => {
    // Invalid UTF-8 after a valid UTF-8 start: the broken bytes become U+FFFD.
    const path = join(dir, 'mixed.csv')
    const big = 'FileName\n' + '名字.wav\n'.repeat(10) + 'x'.repeat(70_000) + '\n'
    await writeFile(path, Buffer.concat([Buffer.from(big), Buffer.from([0xc3, 0x28, 0x2e, 0x77, 0x61, 0x76, 0x0a])]))
    const r = await importNames(path)
    expect(r.encoding).toBe('utf-8')
    expect(r.invalid.map(({ row, reason }) => [row, reason])).toEqual([
      [12, 'too-long'],
      [13, 'replacement-character'],
    ])
  })
})

describe('importNames: what Excel does to a sheet', () => {
  it('reads a semicolon CSV (Excel in a European locale) with its columns', async () => {
    const r = await importFile('semi.csv', '录音文件名;主叫号码;坐席\r\n1.wav;13800000001;张三\r\n2.wav;13800000002;李四\r\n', 'utf-8', true, { keepRows: true })
    expect(r).toMatchObject({ names: ['1.wav', '2.wav'], header: { cells: ['录音文件名', '主叫号码', '坐席'] } })
    expect(r.rows?.[0]?.cells).toEqual(['1.wav', '13800000001', '张三'])
  })

  it('reads semicolons from stdin or a .txt as columns too', async () => {
    const text = 'RecordingFileName;Agent\n1.wav;Alice\n2.wav;Bob\n'
    expect((await importFile('semi.txt', text)).names).toEqual(['1.wav', '2.wav'])
    const piped = await importNames(Readable.from([Buffer.from(text)]), { fileName: 'stdin' })
    expect(piped).toMatchObject({ names: ['1.wav', '2.wav'], header: { cells: ['RecordingFileName', 'Agent'] } })
  })

  it('obeys a sep= first line and numbers rows as Excel shows them, without it', async () => {
    const r = await importFile('sep.csv', 'sep=|\r\nFileName|Agent\r\n1.wav|张三\r\n../2.wav|李四\r\n')
    expect(r).toMatchObject({ names: ['1.wav'], header: { row: 1, cells: ['FileName', 'Agent'] } })
    expect(r.invalid.map(({ row, value }) => [row, value])).toEqual([[3, '../2.wav']])
    expect((await importFile('sep-comma.csv', 'sep=,\nFileName,Agent\n1.wav,张三\n')).names).toEqual(['1.wav'])
    expect((await importFile('sep-tab.txt', 'sep=\t\nFileName\tAgent\n1.wav\t张三\n')).names).toEqual(['1.wav'])
  })

  it('takes off Excel text-forcing ="…" from names and from the other cells', async () => {
    const r = await importFile('forced.csv', 'FileName,Caller\n="20260305010203-a1.wav",="013800000001"\n="say ""hi"".wav",x\n', 'utf-8', false, { keepRows: true })
    expect(r.names).toEqual(['20260305010203-a1.wav', 'say "hi".wav'])
    expect(r.rows?.[0]?.cells).toEqual(['20260305010203-a1.wav', '013800000001'])
  })

  it('skips a second copy of the header (two exports pasted one under the other)', async () => {
    const part = 'FileName,Agent\r\n1.wav,张三\r\n'
    const r = await importFile('twice.csv', part + part.replace('1.wav', '2.wav'))
    expect(r.names).toEqual(['1.wav', '2.wav'])
    expect(r.counts).toEqual({ rows: 2, names: 2, duplicates: 0, blank: 0, invalid: 0 })
  })
})

describe('importNames: a header we do not know, and titles above the table', () => {
  it('takes a first row whose cell is no file name, above rows that are, for the header, with its columns', async () => {
    const r = await importFile('unknown-header.csv', '录音名称,坐席\r\nh1.wav,张三\r\nh2.wav,李四\r\n', 'utf-8', false, { keepRows: true })
    expect(r).toMatchObject({ names: ['h1.wav', 'h2.wav'], header: { row: 1, cells: ['录音名称', '坐席'] }, headerGuessed: true, column: { index: 0, name: '录音名称' } })
    expect(r.counts).toEqual({ rows: 2, names: 2, duplicates: 0, blank: 0, invalid: 0 })
    expect(r.rows?.map((row) => row.row)).toEqual([2, 3])
    // A list of names alone is read as before, and a list without any file name is not guessed at.
    expect(await importFile('plain.csv', 'h1.wav,张三\r\nh2.wav,李四\r\n')).not.toHaveProperty('headerGuessed')
    expect((await importFile('agents.csv', '张三,1\r\n李四,2\r\n')).names).toEqual(['张三', '李四'])
  })

  it('leaves out title rows above the table (one cell filled, no file name), so the header below is found', async () => {
    const text = '通话记录导出,,\r\n导出时间：2026-03-06 10:00,,\r\n,,\r\n坐席,录音文件名,主叫号码\r\n张三,a1.wav,138\r\n'
    const r = await importFile('titled.csv', text, 'utf-8', false, { keepRows: true })
    expect(r).toMatchObject({ names: ['a1.wav'], header: { row: 4 }, titleRows: [1, 2], column: { index: 1, name: '录音文件名' } })
    expect((await importFile('titled-named.csv', text, 'utf-8', false, { column: '录音文件名' })).names).toEqual(['a1.wav'])
    // A list of one column has no titles: its first row is a name, extension or not.
    expect((await importFile('one-column.csv', '通话记录导出\r\na1.wav\r\n')).titleRows).toBeUndefined()
  })

  it('looks for titles only where a header is looked for: never in contact IDs, nor under a forced header or column number', async () => {
    // Excel writes a trailing empty column when one later row has a note.
    const ids = await parseContactIdList('ContactId,\njob-1000,\njob-1001,\njob-1002,\njob-1003,\njob-1004,\njob-1005,\njob-1006,vip\n')
    expect(ids.names).toEqual(['job-1000', 'job-1001', 'job-1002', 'job-1003', 'job-1004', 'job-1005', 'job-1006'])
    expect(ids).not.toHaveProperty('titleRows')
    const bare = await parseContactIdList('job-1000,\njob-1001,\n', { column: '1' })
    expect(bare.names).toEqual(['job-1000', 'job-1001'])
    // The app's column picker forces the header and the column: its rows are the user's.
    const forced = await importFile('forced-header.csv', '录音名称,\na.wav,张三\nb.wav,李四\n', 'utf-8', false, { column: 0, header: true })
    expect(forced).toMatchObject({ names: ['a.wav', 'b.wav'], header: { row: 1 } })
    expect((await importFile('by-number.csv', '通话记录导出,\na.wav,张三\n', 'utf-8', false, { column: '1' })).titleRows).toBeUndefined()
  })
})

describe('importNames: choosing the column', () => {
  const TEXT = 'ContactId,Recording,RecordingFileName\nc1,yes,1.wav\nc2,no,2.wav\n'

  it('picks the most specific known header by itself', async () => {
    expect((await importFile('auto.csv', TEXT)).names).toEqual(['1.wav', '2.wav'])
  })

  it('takes a column forced by name, ignoring case', async () => {
    const text = 'ContactId,Backup,RecordingFileName\nc1,1-copy.wav,1.wav\nc2,2-copy.wav,2.wav\n'
    const r = await importFile('forced.csv', text, 'utf-8', false, { column: 'backup' })
    expect(r).toMatchObject({ names: ['1-copy.wav', '2-copy.wav'], column: { index: 1, name: 'Backup' } })
  })

  it('refuses a column that holds no recording names, naming it, its values and the header', async () => {
    const wrong = await importFile('wrong.csv', TEXT, 'utf-8', false, { column: 'contactid' })
    const e = await rejection(Promise.resolve().then(() => refuseNonRecordingNames(wrong, 'wrong.csv')))
    expect(e).toMatchObject({ code: 'Import.NoRecordingNames' })
    expect(e.message).toBe(
      'wrong.csv: column "ContactId" holds no recording file names (c1, c2): a recording\'s name ends in its extension, such as .wav or .mp3. Choose the column of file names. The header: ContactId, Recording, RecordingFileName.',
    )
    // Without a header, and a first column of row numbers taken by default.
    const numbered = await importFile('numbered-only.csv', '1\n2\n3\n4\n')
    expect((await rejection(Promise.resolve().then(() => refuseNonRecordingNames(numbered, 'numbered-only.csv')))).message).toBe(
      "numbered-only.csv: column 1 holds no recording file names (1, 2, 3, …): a recording's name ends in its extension, such as .wav or .mp3. Choose the column of file names.",
    )
    // A 2.0 user's contact IDs pasted as names: pointed to where they go.
    const ids = await importFile('ids.csv', 'job-1001\njob-1002\n')
    expect((await rejection(Promise.resolve().then(() => refuseNonRecordingNames(ids, 'ids.csv')))).message).toMatch(
      /These look like contact IDs: give them as contact IDs \(--contacts, or the Contact IDs tab in the app\)\.$/,
    )
    // One name that could be a recording is enough: a list is not second-guessed row by row.
    expect(() => refuseNonRecordingNames({ names: ['a', 'b.wav'], header: null, column: { index: 0, name: null } }, 'mixed.csv')).not.toThrow()
    const right = await importFile('auto.csv', TEXT)
    expect(() => refuseNonRecordingNames(right, 'auto.csv')).not.toThrow()
  })

  it('takes a column forced by index, and a header said to be there', async () => {
    const r = await importFile('index.csv', 'a,b\n1.wav,2.wav\n', 'utf-8', false, { column: 1, header: true })
    expect(r).toMatchObject({ names: ['2.wav'], header: { row: 1 }, column: { index: 1, name: 'b' } })
  })

  it('takes a column given as a number on a command line, counting from 1', async () => {
    const r = await importFile('numbered.csv', '13800000001,20260305010203-a1.wav\n13800000002,20260305010204-a2.wav\n', 'utf-8', false, { column: '2' })
    expect(r).toMatchObject({ header: null, names: ['20260305010203-a1.wav', '20260305010204-a2.wav'], column: { index: 1 } })
    // A header that is itself a number is a name first.
    expect((await importFile('numbered-header.csv', 'FileName,1\na.wav,b.wav\n', 'utf-8', false, { column: '1' })).names).toEqual(['b.wav'])
    // In a list without a header, a first-row cell that reads like the number is data.
    const bare = await importFile('numbered-data.csv', 'Alice,3,a1.wav\nBob,2,b1.wav\nCarol,5,c1.wav\n', 'utf-8', false, { column: '3' })
    expect(bare).toMatchObject({ header: null, names: ['a1.wav', 'b1.wav', 'c1.wav'], column: { index: 2 } })
    await expect(importNames(await fixture('narrow.csv', 'a.wav\n'), { column: '3' })).rejects.toMatchObject({ code: 'Import.NoSuchColumn', message: expect.stringContaining('no column 3 (counting from 1)') })
  })

  it('keeps a first row that looks like a header when told there is none', async () => {
    const r = await importFile('noheader.csv', 'FileName\n1.wav\n', 'utf-8', false, { header: false })
    expect(r.names).toEqual(['FileName', '1.wav'])
  })

  it('names a forced column that is not there', async () => {
    const e = await rejection(importNames(await fixture('nocol.csv', TEXT), { column: '录音文件名' }))
    expect(e).toMatchObject({ code: 'Import.NoSuchColumn', row: 1 })
    expect(e.message).toBe('nocol.csv: row 1: no column named "录音文件名" in the header (ContactId, Recording, RecordingFileName)')
    const i = await rejection(importNames(await fixture('nocol2.csv', TEXT), { column: 3 }))
    expect(i).toMatchObject({ code: 'Import.NoSuchColumn', row: 1 })
    expect(i.message).toMatch(/no column 4 .*has 3/)
  })

  it('refuses a column by name without a header', async () => {
    const e = await rejection(importNames(await fixture('opt.csv', TEXT), { column: 'Recording', header: false }))
    expect(e.code).toBe('Import.BadOption')
  })
})

describe('importNames: files that cannot be read', () => {
  it('names a missing file', async () => {
    const path = join(dir, 'missing.csv')
    const e = await rejection(importNames(path))
    expect(e).toMatchObject({ code: 'Import.Unreadable', file: path, row: undefined })
    expect(e.message).toBe('missing.csv: cannot read: ENOENT (no such file)')
  })

  it('names a folder given as a file', async () => {
    const path = join(dir, 'folder.csv')
    await mkdir(path)
    const e = await rejection(importNames(path))
    expect(e.message).toBe('folder.csv: cannot read: EISDIR (it is a folder)')
  })

  it('names a stream that fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('boom'), { code: 'EPIPE' }))
      },
    })
    const e = await rejection(importNames(failing, { fileName: 'names.csv' }))
    expect(e).toMatchObject({ code: 'Import.Unreadable', file: 'names.csv' })
    expect(e.message).toBe('names.csv: cannot read: EPIPE')
  })

  it('names the row of a quote left open', async () => {
    const e = await rejection(importNames(await fixture('open.csv', 'FileName\n1.wav\n"2.wav\n3.wav\n')))
    expect(e).toMatchObject({ code: 'Import.UnclosedQuote', row: 3 })
  })

  it('refuses a recording dropped by mistake', async () => {
    const wav = Buffer.concat([Buffer.from('RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00', 'latin1'), Buffer.alloc(2000)])
    await writeFile(join(dir, 'oops.wav'), wav)
    const e = await rejection(importNames(join(dir, 'oops.wav')))
    expect(e.code).toBe('Import.NotText')
  })
})

describe('parseNameList', () => {
  it('takes a pasted list through the same rules', async () => {
    const r = await parseNameList('1.wav\r\n\r\n 2.wav\u3000\r\n1.wav\r\na/b.wav\r\n')
    expectConsistent(r)
    expect(r).toMatchObject({ names: ['1.wav', '2.wav'], encoding: null, bom: false, format: 'list' })
    expect(r.counts).toEqual({ rows: 5, names: 2, duplicates: 1, blank: 1, invalid: 1 })
    expect(r.invalid).toEqual([{ row: 5, value: 'a/b.wav', reason: 'path-separator', message: expect.any(String) }])
  })

  it('reads cells pasted from a spreadsheet, header and all', async () => {
    const r = await parseNameList('坐席\t录音文件名\n张三\t1.wav\n李四\t"2.wav"\n')
    expect(r).toMatchObject({ format: 'tsv', names: ['1.wav', '2.wav'], column: { index: 1, name: '录音文件名' } })
  })

  it('gives an empty result for nothing', async () => {
    const r = await parseNameList('')
    expect(r.names).toEqual([])
    expect(r.counts).toEqual({ rows: 0, names: 0, duplicates: 0, blank: 0, invalid: 0 })
  })
})

describe('importNames: streaming', () => {
  it('streams 200k rows from a byte stream, handling rows as they arrive', async () => {
    const total = 200_000
    let produced = 0
    let rowsSeenWhileProducing = 0
    async function* source() {
      yield iconv.encode('录音文件名,坐席\r\n', 'gb18030')
      const batch = 5_000
      for (let start = 0; start < total; start += batch) {
        let text = ''
        for (let i = start; i < start + batch; i++) {
          // Every 10th row repeats the one before; every 1000th is blank.
          text += i % 1000 === 999 ? ',\r\n' : `${1531284911434000 + (i % 10 === 9 ? i - 1 : i)}.wav,坐席${i % 7}\r\n`
        }
        produced += batch
        yield iconv.encode(text, 'gb18030')
      }
    }
    const r = await importNames(Readable.from(source(), { objectMode: false }), {
      fileName: 'big.csv',
      onProgress: ({ rows }) => {
        if (produced < total) rowsSeenWhileProducing = Math.max(rowsSeenWhileProducing, rows)
      },
    })
    expectConsistent(r)
    expect(rowsSeenWhileProducing, 'rows were handled before the source ended').toBeGreaterThan(0)
    expect(r.encoding).toBe('gb18030')
    expect(r.counts).toEqual({ rows: total, names: 180_000, duplicates: 19_800, blank: 200, invalid: 0 })
    expect(r.names[0]).toBe('1531284911434000.wav')
    expect(r.names[1]).toBe('1531284911434001.wav')
  })

  it('stops when aborted, for CSV and for plain lists', async () => {
    for (const [name, line] of [['endless.csv', '1.wav,x\n'], ['endless.txt', '1.wav\n']] as const) {
      const controller = new AbortController()
      async function* endless() {
        const chunk = Buffer.from(line.repeat(10_000))
        for (;;) yield chunk
      }
      const e = await importNames(endless(), {
        fileName: name,
        signal: controller.signal,
        onProgress: ({ bytes }) => {
          if (bytes > 1_000_000) controller.abort()
        },
      }).then(
        () => undefined,
        (x: unknown) => x,
      )
      expect(isAbortError(e), `${name}: ${String(e)}`).toBe(true)
    }
  })
})

describe('rows kept for call metadata (issue 13)', () => {
  it('keeps each unique name’s first row, in the order of the names, only when asked', async () => {
    const text = '录音文件名,坐席,主叫号码\r\nb.wav,张三,021\r\na.wav,李四,022\r\nb.wav,王五,023\r\n'
    const kept = await parseNameList(text, { keepRows: true })
    expect(kept.names).toEqual(['b.wav', 'a.wav'])
    expect(kept.rows?.map((r) => r.cells)).toEqual([
      ['b.wav', '张三', '021'],
      ['a.wav', '李四', '022'],
    ])
    expect(kept.rows?.map((r) => r.row)).toEqual([2, 3])
    expect((await parseNameList(text)).rows).toBeUndefined()
  })
})
