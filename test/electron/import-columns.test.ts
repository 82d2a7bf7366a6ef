import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImportPreview } from '../../main/common/api.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import type { Handlers } from '../../main/electron/dispatch.ts'
import { importHandlers, PendingImports, PickedFiles } from '../../main/electron/handlers/imports.ts'
import { xlsxOf } from '../engine/import/xlsx-fixture.ts'

const picked = new PickedFiles()
const handlers = importHandlers(new PendingImports(), picked) as unknown as Handlers
const preview = async (source: unknown): Promise<ImportPreview> => {
  const reply = await dispatch(handlers, 'import:preview', { source })
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as ImportPreview
}
const bytes = (fileName: string, text: string) => ({ kind: 'bytes', fileName, data: new TextEncoder().encode(text) })

describe('import preview: the column of names', () => {
  it('asks for the column when the header is unknown, showing the first rows; reads it once chosen', async () => {
    const csv = '通话ID,坐席,录音\nc1,a1,x.wav\nc2,a2,y.wav\nc3,a3,z.wav\n'
    const asked = await preview(bytes('calls.csv', csv))
    expect(asked.columns).toEqual({
      rows: [
        ['通话ID', '坐席', '录音'],
        ['c1', 'a1', 'x.wav'],
        ['c2', 'a2', 'y.wav'],
        ['c3', 'a3', 'z.wav'],
      ],
      index: 2,
      header: true,
      ask: false,
    })
    const unknown = await preview(bytes('calls.csv', csv.replace('录音', '文件')))
    expect(unknown.columns).toMatchObject({ index: 0, header: false, ask: true })
    const chosen = await preview({ ...bytes('calls.csv', csv.replace('录音', '文件')), column: 2, header: true })
    expect(chosen.columns?.ask).toBe(false)
    expect(chosen.sample).toEqual(['x.wav', 'y.wav', 'z.wav'])
    expect(chosen.origin).toEqual({ kind: 'names', file: 'calls.csv' })
  })

  it('refuses a column of no recording names once it is chosen, or when there is nothing to ask, and asks first', async () => {
    const csv = '通话ID,坐席\nc1,a1\nc2,a2\n'
    // Unknown header: the picker comes first, not a refusal of its first guess.
    expect((await preview(bytes('calls.csv', csv))).columns?.ask).toBe(true)
    await expect(preview({ ...bytes('calls.csv', csv), column: 1, header: true })).rejects.toThrow('Import.NoRecordingNames: calls.csv: column "坐席" holds no recording file names (a1, a2)')
    await expect(preview(bytes('ids.txt', 'c1\nc2\n'))).rejects.toThrow('Import.NoRecordingNames: ids.txt: column 1 holds no recording file names (c1, c2)')
    await expect(preview({ kind: 'text', text: '张三\n李四\n' })).rejects.toThrow('Import.NoRecordingNames: the pasted list: column 1 holds no recording file names')
  })

  it('asks for a one-column file whose first cell is no file name above names that are', async () => {
    expect((await preview(bytes('ids.csv', '通话ID\nx.wav\ny.wav\n'))).columns?.ask).toBe(true)
    expect((await preview(bytes('names.txt', 'x.wav\ny.wav\n'))).columns?.ask).toBe(false)
  })

  it('reads a CSV saved under an .xlsx name as the text it is, picked from disk or dropped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misnamed-'))
    try {
      const path = join(dir, '清单.xlsx')
      await writeFile(path, '录音文件名\na.wav\nb.wav\n')
      picked.add(path)
      expect(await preview({ kind: 'file', path })).toMatchObject({ names: 2, sample: ['a.wav', 'b.wav'] })
      expect(await preview(bytes('清单.xlsx', '录音文件名\na.wav\nb.wav\n'))).toMatchObject({ names: 2 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('imports the first sheet of an .xlsx like a CSV, header detection included', async () => {
    const data = xlsxOf([['话务ID', '录音文件名'], ['c1', 'a.wav'], ['c2', 'b.wav']])
    const result = await preview({ kind: 'bytes', fileName: '清单.xlsx', data })
    expect(result).toMatchObject({ names: 2, column: '录音文件名', sample: ['a.wav', 'b.wav'], columns: { ask: false, index: 1 } })
  })

  it('titles a pasted list and contact IDs by their origin, not by English words', async () => {
    const pasted = await preview({ kind: 'text', text: 'a.wav\n' })
    expect(pasted.origin).toEqual({ kind: 'names' })
    expect(pasted.sourceName).toBe('')
    const ids = await preview({ kind: 'contacts', text: 'job-1\njob-2\n' })
    expect(ids.origin).toMatchObject({ kind: 'contacts' })
    expect(ids.sourceName).toBe('')
  })
})
