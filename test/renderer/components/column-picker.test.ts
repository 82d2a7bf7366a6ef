import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { ImportPreview } from '../../../main/common/api.ts'
import { ApiFailure, fakeApi, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const ROWS = [
  ['通话ID', '坐席', '文件'],
  ['c1', 'a1', 'x.wav'],
  ['c2', 'a2', 'y.wav'],
]

/** Asks until a column is chosen; `refused` is a column that holds no recording names (main refuses it). */
function answering(refused?: number): ReturnType<typeof fakeApi> {
  const fake = fakeApi({ profiles: [PROFILE] })
  fake.handle('import:preview', async ({ source }) => {
    const chosen = 'column' in source && source.column !== undefined
    if (chosen && source.column === refused) throw new ApiFailure('Import.NoRecordingNames', 'calls.csv: column "坐席" holds no recording file names (a1, a2)')
    const base: ImportPreview = { token: chosen ? 'tok-2' : 'tok-1', sourceName: 'calls.csv', rows: 3, names: 3, duplicates: 0, blank: 0, invalid: [], invalidCount: 0, sample: [] }
    return { ...base, origin: { kind: 'names', file: 'calls.csv' }, columns: { rows: ROWS, index: chosen ? 2 : 0, header: chosen, ask: !chosen } }
  })
  return fake
}

/** A drop on the screen's heading, not on the drop zone: anywhere on the screen reads the file. */
function dropOnScreen(file: File): Promise<boolean> {
  const target = screen.getByRole('heading', { level: 1 })
  const dataTransfer = { files: [file], types: ['Files'], dropEffect: 'none' }
  void fireEvent.dragOver(target, { dataTransfer })
  return fireEvent.drop(target, { dataTransfer })
}

describe('column picker', () => {
  it('asks for the column of an unknown header with the first rows, and holds Start until answered', async () => {
    const fake = answering()
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
    await dropOnScreen(new File(['通话ID,坐席,文件\nc1,a1,x.wav\n'], 'calls.csv', { type: 'text/csv' }))

    const picker = await screen.findByRole('group', { name: 'Which column holds the file names?' })
    expect(within(picker).getByText('x.wav')).toBeTruthy()
    expect(within(picker).getByText('通话ID')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    expect((screen.getByRole('button', { name: /Start downloading/ }) as HTMLButtonElement).disabled).toBe(true)

    await fireEvent.click(within(picker).getByLabelText('Column 3'))
    expect((within(picker).getByLabelText('The first row is a header (not a file name)') as HTMLInputElement).checked).toBe(true)
    await fireEvent.click(within(picker).getByRole('button', { name: 'Use this column' }))
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Which column holds the file names?' })).toBeNull())
    const asked = fake.callsTo('import:preview') as { source: { kind: string; column?: number; header?: boolean } }[]
    expect(asked.at(-1)?.source).toMatchObject({ kind: 'bytes', fileName: 'calls.csv', column: 2, header: true })
    expect((screen.getByRole('button', { name: /Start downloading/ }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('keeps the question when the column chosen holds no recording names, with the reason, so another can be chosen', async () => {
    const fake = answering(1)
    await renderApp(fake)
    await dropOnScreen(new File(['x'], 'calls.csv'))
    const picker = await screen.findByRole('group', { name: 'Which column holds the file names?' })
    await fireEvent.click(within(picker).getByLabelText('Column 2'))
    await fireEvent.click(within(picker).getByRole('button', { name: 'Use this column' }))
    await waitFor(() => expect(screen.getByText(/column "坐席" holds no recording file names/)).toBeTruthy())
    const still = screen.getByRole('group', { name: 'Which column holds the file names?' })
    await fireEvent.click(within(still).getByLabelText('Column 3'))
    await fireEvent.click(within(still).getByRole('button', { name: 'Use this column' }))
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Which column holds the file names?' })).toBeNull())
    expect(screen.queryByText(/holds no recording file names/)).toBeNull()
  })

  it('asks in Chinese on a Chinese system', async () => {
    const fake = answering()
    fake.settings = { ...fake.settings, language: 'zh-CN' }
    await renderApp(fake)
    await dropOnScreen(new File(['x'], 'calls.csv'))
    const picker = await screen.findByRole('group', { name: '哪一列是录音文件名？' })
    expect(within(picker).getByLabelText('第 3 列')).toBeTruthy()
    expect(within(picker).getByRole('button', { name: '使用此列' })).toBeTruthy()
  })
})
