import { describe, expect, it } from 'vitest'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { fileRows, groupCsv } from '../../../main/engine/export/file-rows.ts'

/** 10 files: 0–3 done, 4 and 7 failed (two codes), 8 skipped, the rest queued. */
function table(): ExportTable {
  const t = new ExportTable()
  t.add(Array.from({ length: 10 }, (_, i) => `r${i}.wav`))
  for (const i of [0, 1, 2, 3]) t.done(t.files.get(`r${i}.wav`)!, 100 + i, `2026/r${i}.wav`)
  t.fail(t.files.get('r4.wav')!, { code: 'NotExist.Record', message: 'gone' })
  t.fail(t.files.get('r7.wav')!, { code: 'Oss.AccessDenied', message: 'denied' })
  t.skip(t.files.get('r8.wav')!, 'not ready')
  return t
}
const names = (r: { rows: { name: string }[] }) => r.rows.map((x) => x.name)

describe('fileRows', () => {
  it('gives a window of all files, in the order added, with their state, bytes, path and error', () => {
    const r = fileRows(table(), 2, 4)
    expect(r.total).toBe(10)
    expect(names(r)).toEqual(['r2.wav', 'r3.wav', 'r4.wav', 'r5.wav'])
    expect(r.rows[0]).toEqual({ name: 'r2.wav', state: 'done', bytes: 102, localPath: '2026/r2.wav' })
    expect(r.rows[2]).toMatchObject({ name: 'r4.wav', state: 'failed', error: { code: 'NotExist.Record', message: 'gone' } })
    expect(fileRows(table(), 8, 5).rows.map((x) => x.name)).toEqual(['r8.wav', 'r9.wav'])
    expect(fileRows(table(), 12, 5)).toEqual({ total: 10, rows: [] })
  })

  it('windows the files of one state, or of one error code, counting all that match', () => {
    const done = fileRows(table(), 1, 2, 'done')
    expect([done.total, names(done)]).toEqual([4, ['r1.wav', 'r2.wav']])
    const failed = fileRows(table(), 0, 10, 'failed')
    expect([failed.total, names(failed)]).toEqual([2, ['r4.wav', 'r7.wav']])
    const denied = fileRows(table(), 0, 10, 'failed', 'Oss.AccessDenied')
    expect([denied.total, names(denied)]).toEqual([1, ['r7.wav']])
    expect(fileRows(table(), 0, 10, 'queued')).toMatchObject({ total: 3 })
  })
})

describe('groupCsv', () => {
  it('lists the failed files of one code only, as a list that imports again', () => {
    const lines = groupCsv(table(), 'NotExist.Record').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(lines).toEqual(['FileName,error_code,error_message', 'r4.wav,NotExist.Record,gone'])
  })
})
