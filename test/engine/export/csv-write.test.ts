import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { csvCell, csvLine, uncsvFormula } from '../../../main/engine/export/csv-write.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { groupCsv } from '../../../main/engine/export/file-rows.ts'
import { importNames } from '../../../main/engine/import/csv.ts'

const HOSTILE = ['=1+2.wav', '@SUM(A1).wav', '+1.wav', '-1.wav', '\tx.wav', '\rx.wav', '=HYPERLINK("evil.example","click").wav', "=2+5+cmd|' /C calc'!A0"]

describe('csvCell', () => {
  it('gives every text that starts with = + - @ tab or CR a leading quote mark', () => {
    expect(csvCell('=1+2.wav')).toBe("'=1+2.wav")
    expect(csvCell('@SUM(A1).wav')).toBe("'@SUM(A1).wav")
    expect(csvCell('-1.wav')).toBe("'-1.wav")
    expect(csvCell("=2+5+cmd|' /C calc'!A0")).toBe("'=2+5+cmd|' /C calc'!A0")
    // Quoted because of the comma and the quotes, neutralised inside the quotes.
    expect(csvCell('=HYPERLINK("evil.example","click").wav')).toBe(`"'=HYPERLINK(""evil.example"",""click"").wav"`)
    expect(csvCell('\rx')).toBe(`"'\rx"`)
    for (const text of HOSTILE) expect(csvCell(text)).toMatch(/^"?'/)
  })

  it('leaves ordinary text and numbers as they are', () => {
    expect(csvCell('153128491143400080327683.wav')).toBe('153128491143400080327683.wav')
    expect(csvCell('a=b')).toBe('a=b')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(undefined)).toBe('')
    expect(csvLine(['file_name', 'status', 12, undefined])).toBe('file_name,status,12,\r\n')
  })

  it('is undone for a name read back in, and only for what it prefixed', () => {
    for (const text of ['=1+2.wav', '@SUM(A1).wav', '-1.wav']) expect(uncsvFormula(`'${text}`)).toBe(text)
    expect(uncsvFormula("'quoted.wav")).toBe("'quoted.wav")
    expect(uncsvFormula('=1.wav')).toBe('=1.wav')
  })
})

describe('a group CSV', () => {
  it('is neutralised and imports again as the same names', async () => {
    const table = new ExportTable()
    const names = ['=1+2.wav', '@SUM(A1).wav', '=HYPERLINK("evil.example","click").wav', 'plain.wav']
    table.add(names)
    for (const name of names) table.fail(table.files.get(name)!, { code: "=2+5+cmd|' /C calc'!A0", message: '@evil' })
    const text = groupCsv(table, "=2+5+cmd|' /C calc'!A0")
    for (const line of text.replace(/^\uFEFF/, '').split('\r\n')) expect(line).not.toMatch(/(^|,)"?[=+\-@]/)
    const dir = await mkdtemp(join(tmpdir(), 'group-csv-'))
    try {
      await writeFile(join(dir, 'group.csv'), text)
      const back = await importNames(join(dir, 'group.csv'))
      expect(back.names).toEqual(names)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
