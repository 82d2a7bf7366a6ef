import { fireEvent, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { fakeApi, PROFILE, type Fake } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const A = { ...PROFILE, name: 'a', instanceId: 'inst-a', outputDir: '/rec/a', isDefault: true }
const B = { ...PROFILE, name: 'b', instanceId: 'inst-b', outputDir: '/rec/b', isDefault: false }
const C = { ...PROFILE, name: 'c', instanceId: 'inst-c', outputDir: undefined, isDefault: false }

const folder = (): string => (screen.getByLabelText('Output folder') as HTMLInputElement).value

async function previewPaste(): Promise<void> {
  await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
  await fireEvent.input(screen.getByLabelText('Recording file names, one per line'), { target: { value: 'a.wav' } })
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
  await screen.findByTestId('preview')
}

async function previewRange(from: string, to: string): Promise<void> {
  await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
  await fireEvent.input(screen.getByLabelText('From'), { target: { value: from } })
  await fireEvent.input(screen.getByLabelText('To (inclusive)'), { target: { value: to } })
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
  await screen.findByTestId('preview')
}

async function startRange(fake: Fake): Promise<string> {
  const before = fake.callsTo('export:start').length
  await fireEvent.click(screen.getByRole('button', { name: 'Start: list the calls and download them' }))
  await screen.findByRole('heading', { name: 'Queue', level: 1 })
  const requests = fake.callsTo('export:start') as { outDir: string }[]
  expect(requests).toHaveLength(before + 1)
  return requests[before]!.outDir
}

describe('new export: the output folder', () => {
  it('follows the profile while it was filled in automatically: the profile’s folder, else the Settings default', async () => {
    const fake = fakeApi({ profiles: [A, B, C], settings: { outputDir: '/rec/settings' } })
    await renderApp(fake)
    await previewPaste()
    expect(folder()).toBe('/rec/a')

    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'b' } })
    expect(folder()).toBe('/rec/b')
    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'c' } })
    expect(folder()).toBe('/rec/settings')
    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'b' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Start downloading 3 files' }))
    await screen.findByRole('heading', { name: 'Queue', level: 1 })
    expect((fake.callsTo('export:start') as { profile: string; outDir: string }[]).map((r) => [r.profile, r.outDir])).toEqual([['b', '/rec/b']])
  })

  it('follows a new default saved in Settings while it was filled in automatically', async () => {
    const fake = fakeApi({ profiles: [C], settings: { outputDir: '/rec/old' } })
    await renderApp(fake)
    await previewPaste()
    expect(folder()).toBe('/rec/old')

    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect((screen.getByLabelText('Default output folder') as HTMLInputElement).value).toBe('/picked/folder'))
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved')
    await fireEvent.click(screen.getByRole('button', { name: 'New export' }))
    await waitFor(() => expect(folder()).toBe('/picked/folder'))
  })

  it('keeps a folder the user chose when the profile changes', async () => {
    const fake = fakeApi({ profiles: [A, B, C], settings: { outputDir: '/rec/settings' } })
    await renderApp(fake)
    await previewPaste()
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(folder()).toBe('/picked/folder'))

    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'b' } })
    expect(folder()).toBe('/picked/folder')
    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'c' } })
    expect(folder()).toBe('/picked/folder')
  })

  it('gives each date range its own folder inside the default one', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await previewRange('2026-12-01', '2026-12-04')
    expect(folder()).toBe('/home/user/Recordings/2026-12-01_2026-12-04')
    expect(screen.getByTestId('range-folder-hint').textContent).toContain('A folder of its own for this date range')
    expect(await startRange(fake)).toBe('/home/user/Recordings/2026-12-01_2026-12-04')

    await fireEvent.click(screen.getByRole('button', { name: 'New export' }))
    await previewRange('2026-12-05', '2026-12-05')
    expect(folder()).toBe('/home/user/Recordings/2026-12-05')
    expect(await startRange(fake)).toBe('/home/user/Recordings/2026-12-05')

    // Back to a list: it adds to the default folder's one export, as before.
    await fireEvent.click(screen.getByRole('button', { name: 'New export' }))
    await previewPaste()
    expect(folder()).toBe('/home/user/Recordings')
    expect(screen.queryByTestId('range-folder-hint')).toBeNull()
  })

  it('gives the same days with other conditions a folder of their own, the same one each time', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.input(screen.getByLabelText('Phone number (optional)'), { target: { value: '13800138000' } })
    await previewRange('2026-12-01', '2026-12-04')
    const withPhone = folder()
    // The plain days' folder would refuse this export (Export.Conflict): another range.
    expect(withPhone).toMatch(/^\/home\/user\/Recordings\/2026-12-01_2026-12-04~[0-9a-f]{8}$/)
    expect(await startRange(fake)).toBe(withPhone)

    await fireEvent.click(screen.getByRole('button', { name: 'New export' }))
    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.input(screen.getByLabelText('Phone number (optional)'), { target: { value: '13800138000' } })
    await previewRange('2026-12-01', '2026-12-04')
    expect(folder()).toBe(withPhone)
  })

  it('names the range’s folder with the separator a Windows default folder uses', async () => {
    await renderApp(fakeApi({ profiles: [{ ...PROFILE, outputDir: 'D:\\Recordings\\' }] }))
    await previewRange('2026-12-01', '2026-12-04')
    expect(folder()).toBe('D:\\Recordings\\2026-12-01_2026-12-04')
  })

  it('puts a date range in the folder the user chose, as chosen', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await previewRange('2026-12-01', '2026-12-04')
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(folder()).toBe('/picked/folder'))
    expect(screen.queryByTestId('range-folder-hint')).toBeNull()
    expect(await startRange(fake)).toBe('/picked/folder')
  })
})
