import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readTime } from '../../../main/engine/calls/csv-meta.ts'
import { cellText, importXlsxNames, isXlsx, xlsxRows } from '../../../main/engine/import/xlsx.ts'
import { xlsxOf } from './xlsx-fixture.ts'

/**
 * `xlsxOf`'s workbook with its number cells shown as dates and times (built-in format 22,
 * `m/d/yy h:mm`), as Excel saves a column of call start times: a fraction of a day each.
 */
function withDateCells(book: Uint8Array): Uint8Array {
  const parts = unzipSync(book)
  const edit = (name: string, change: (xml: string) => string) => {
    parts[name] = strToU8(change(strFromU8(parts[name]!)))
  }
  const ns = 'http://schemas.openxmlformats.org'
  parts['xl/styles.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${ns}/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>`)
  edit('xl/_rels/workbook.xml.rels', (xml) => xml.replace('</Relationships>', `<Relationship Id="rId3" Type="${ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`))
  // Number cells are the ones without a type (strings are t="s").
  edit('xl/worksheets/sheet1.xml', (xml) => xml.replace(/<c (r="[A-Z]+\d+")><v>/g, '<c $1 s="1"><v>'))
  return zipSync(parts)
}

describe('xlsx import', () => {
  it('reads the first sheet like a CSV: the known header finds the column, numbers become text', async () => {
    const book = xlsxOf([
      ['话务ID', '录音文件名', '坐席'],
      ['c1', 'a.wav', 7],
      ['c2', 'b.wav', 8],
      ['c3', 'a.wav', 9],
    ])
    expect(await xlsxRows(book, 'x.xlsx')).toEqual([
      ['话务ID', '录音文件名', '坐席'],
      ['c1', 'a.wav', '7'],
      ['c2', 'b.wav', '8'],
      ['c3', 'a.wav', '9'],
    ])
    const result = await importXlsxNames(book, '录音.xlsx')
    expect(result.names).toEqual(['a.wav', 'b.wav'])
    expect(result.counts).toMatchObject({ rows: 3, names: 2, duplicates: 1 })
    expect(result.column).toEqual({ index: 1, name: '录音文件名' })
  })

  it('takes the column and header the user chose, from a path too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xlsx-'))
    try {
      const path = join(dir, 'calls.xlsx')
      await writeFile(path, xlsxOf([['通话ID', '文件'], ['c1', 'x.wav'], ['c2', 'y.wav']]))
      expect((await importXlsxNames(path, path, { column: 1, header: true })).names).toEqual(['x.wav', 'y.wav'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('knows a workbook by its name, or by its zip bytes under a .csv name; refuses one it cannot read', async () => {
    expect(isXlsx('a.XLSX')).toBe(true)
    expect(isXlsx('a.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe(true)
    expect(isXlsx('a.csv', new TextEncoder().encode('name'))).toBe(false)
    // A CSV saved under an .xlsx name is the text it is.
    expect(isXlsx('a.xlsx', new TextEncoder().encode('FileName\n'))).toBe(false)
    expect(isXlsx('a.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe(true)
    await expect(importXlsxNames(new TextEncoder().encode('not a zip'), 'bad.xlsx')).rejects.toMatchObject({ code: 'Import.Unreadable' })
  })
})

describe('Excel dates', () => {
  it('keep the wall-clock time Excel shows, with no zone, so they read as China Standard Time', () => {
    // What read-excel-file gives for a cell showing 2026-03-05 09:00:00: that clock in the UTC fields.
    const cell = new Date(Date.UTC(2026, 2, 5, 9, 0, 0))
    expect(cellText(cell)).toBe('2026-03-05 09:00:00')
    expect(readTime(cellText(cell))).toBe(Date.parse('2026-03-05T09:00:00+08:00'))
  })

  it('read every second of a workbook as Excel shows it, none a second early', async () => {
    // 2026-03-05 is day 46086 of Excel's calendar; a second is 1/86400 of a day, rarely exact in binary.
    const seconds = Array.from({ length: 40 }, (_, i) => i)
    const book = withDateCells(xlsxOf([['开始时间'], ...seconds.map((i) => [46086 + (9 * 3600 + i) / 86400])]))
    const [header, ...rows] = await xlsxRows(book, 'x.xlsx')
    expect(header).toEqual(['开始时间'])
    expect(rows.map((r) => r[0])).toEqual(seconds.map((i) => `2026-03-05 09:00:${String(i).padStart(2, '0')}`))
  })
})
