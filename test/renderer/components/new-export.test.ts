import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { InvalidRow } from '../../../main/common/api.ts'
import { ApiFailure, fakeApi, PROFILE, summary } from '../fake-api.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
import { renderApp } from '../harness.ts'

function dropFile(file: File): Promise<boolean> {
  const zone = screen.getByTestId('drop-zone')
  const dataTransfer = { files: [file], types: ['Files'], dropEffect: 'none' }
  void fireEvent.dragEnter(zone, { dataTransfer })
  void fireEvent.dragOver(zone, { dataTransfer })
  return fireEvent.drop(zone, { dataTransfer })
}

describe('new export', () => {
  it('starts empty, with the drop zone, a file button and the other sources as tabs', async () => {
    await renderApp(fakeApi({ profiles: [PROFILE] }))
    expect(screen.getByTestId('drop-zone').textContent).toContain('Drop a CSV, TSV, TXT or Excel file here')
    expect(screen.getByRole('button', { name: 'Choose file…' })).toBeTruthy()
    const tabs = screen.getAllByRole('tab').map((t) => t.textContent?.trim())
    expect(tabs).toEqual(['File', 'Paste names', 'Contact IDs', 'Date range'])
    expect(screen.queryByTestId('preview')).toBeNull()
  })

  it('previews a dropped file from its bytes', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    const csv = 'FileName\r\n1700000000000-a.wav\r\n'
    await dropFile(new File([csv], 'names.csv', { type: 'text/csv' }))

    await screen.findByTestId('preview')
    const [request] = fake.callsTo('import:preview') as { source: { kind: string; fileName: string; data: Uint8Array } }[]
    expect(request?.source.kind).toBe('bytes')
    expect(request?.source.fileName).toBe('names.csv')
    expect(request?.source.data).toBeInstanceOf(Uint8Array)
    expect(new TextDecoder().decode(request?.source.data)).toBe(csv)
  })

  it('lists invalid rows by row number, the first twenty with the total', async () => {
    const invalid: InvalidRow[] = Array.from({ length: 20 }, (_, i) => ({ row: i * 2 + 5, value: `bad/${i}`, problem: 'path-separator' as const }))
    const fake = fakeApi({
      profiles: [PROFILE],
      preview: { sourceName: 'calls.csv', rows: 1240, names: 1180, duplicates: 12, blank: 3, invalid, invalidCount: 45, encoding: 'GB18030', column: '录音文件名' },
    })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }))
    const preview = await screen.findByTestId('preview')

    expect(fake.callsTo('import:preview')).toEqual([{ source: { kind: 'file', path: '/picked/names.csv' } }])
    expect(within(preview).getByRole('heading', { name: 'calls.csv' })).toBeTruthy()
    expect(screen.getByTestId('preview-names').textContent).toBe('1,180')
    expect(preview.textContent).toContain('GB18030')
    expect(preview.textContent).toContain('录音文件名')
    const rows = within(preview).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(20)
    expect(rows[0]?.textContent).toContain('5')
    expect(rows[0]?.textContent).toContain('bad/0')
    expect(rows[0]?.textContent).toContain('The name contains "/" or "\\"')
    expect(rows[19]?.textContent).toContain('43')
    expect(preview.textContent).toContain('Showing the first 20 of 45 invalid rows.')
    // Main sends the problem as a code; the words follow the UI's language.
    try {
      setLocale('zh-CN')
      await waitFor(() => expect(within(preview).getAllByRole('row')[1]?.textContent).toContain('文件名含 "/" 或 "\\"'))
    } finally {
      setLocale('en')
    }
  })

  it('explains a list that cannot be read, and keeps the sources', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    fake.handle('import:preview', async () => {
      throw new ApiFailure('Import.NoColumn', 'No column looks like recording file names.')
    })
    await renderApp(fake)
    await dropFile(new File(['x,y\n1,2\n'], 'odd.csv'))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('No column looks like recording file names.')
    expect(alert.textContent).toContain('Import.NoColumn')
    expect(screen.queryByTestId('preview')).toBeNull()
    expect(screen.getByTestId('drop-zone')).toBeTruthy()
  })

  it('sends pasted names, contact IDs and a date range as their own kinds', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)

    await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
    await fireEvent.input(screen.getByLabelText('Recording file names, one per line'), { target: { value: 'a.wav\nb.wav' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('preview')
    await fireEvent.click(screen.getByRole('button', { name: 'Use another list' }))

    await fireEvent.click(screen.getByRole('tab', { name: 'Contact IDs' }))
    await fireEvent.input(screen.getByLabelText('Contact IDs, one per line'), { target: { value: 'job-1\njob-2' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('preview')
    await fireEvent.click(screen.getByRole('button', { name: 'Use another list' }))

    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2026-03-10' } })
    await fireEvent.input(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-03-01' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    expect(screen.getByRole('alert').textContent).toContain('Choose both days')
    await fireEvent.input(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-03-20' } })
    await fireEvent.change(screen.getByLabelText('Call direction'), { target: { value: 'Inbound' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('preview')

    const sources = (fake.callsTo('import:preview') as { source: Record<string, string> }[]).map((r) => r.source)
    expect(sources[0]).toEqual({ kind: 'text', text: 'a.wav\nb.wav' })
    expect(sources[1]).toEqual({ kind: 'contacts', text: 'job-1\njob-2' })
    expect(sources[2]?.kind).toBe('range')
    expect(sources[2]?.contactType).toBe('Inbound')
    expect(sources[2]?.from).toMatch(/^2026-03-10T00:00:00[+-]\d\d:\d\d$/)
    expect(sources[2]?.to).toMatch(/^2026-03-21T00:00:00[+-]\d\d:\d\d$/)
    expect(sources).toHaveLength(3)
  })

  it('starts in the profile’s folder with the chosen naming, then shows the queue', async () => {
    const fake = fakeApi({ profiles: [PROFILE], settings: { concurrency: 8, maxBytesPerSecond: 5_000_000 } })
    await renderApp(fake)
    await dropFile(new File(['a.wav\n'], 'names.txt'))
    await screen.findByTestId('preview')

    expect((screen.getByLabelText('Output folder') as HTMLInputElement).value).toBe('/home/user/Recordings')
    expect((screen.getByLabelText('Parallel downloads') as HTMLInputElement).value).toBe('8')
    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'by-date' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect((screen.getByLabelText('Output folder') as HTMLInputElement).value).toBe('/picked/folder'))
    await fireEvent.click(screen.getByRole('button', { name: 'Start downloading 3 files' }))

    await screen.findByRole('heading', { name: 'Queue', level: 1 })
    expect(fake.callsTo('export:start')).toEqual([
      { token: 'tok-1', profile: 'default', outDir: '/picked/folder', layout: 'flat', concurrency: 8, maxBytesPerSecond: 5_000_000, nameTemplate: 'by-date' },
    ])
  })

  it('says so when the folder’s export kept its own naming', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    fake.handle('export:start', async (r) => ({ ...summary({ outDir: r.outDir, profile: r.profile, state: 'running' }), namingKept: '{agent}/{fileName}' }))
    await renderApp(fake)
    await dropFile(new File(['a.wav\n'], 'names.txt'))
    await screen.findByTestId('preview')
    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'by-date' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Start downloading 3 files' }))
    await screen.findByRole('heading', { name: 'Queue', level: 1 })
    expect((await screen.findByTestId('naming-kept')).textContent).toBe(
      'This folder’s export already names its files by “{agent}/{fileName}”, so it kept that naming. To name them otherwise, choose another folder.',
    )
  })

  it('cannot start without an output folder', async () => {
    const fake = fakeApi({ profiles: [{ ...PROFILE, outputDir: undefined }] })
    await renderApp(fake)
    await dropFile(new File(['a.wav\n'], 'names.txt'))
    await screen.findByTestId('preview')
    const start = screen.getByRole('button', { name: 'Start downloading 3 files' }) as HTMLButtonElement
    expect(start.disabled).toBe(true)
    expect(screen.getByText('Choose an output folder to start.')).toBeTruthy()
  })
})
