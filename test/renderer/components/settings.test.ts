import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { ApiFailure, fakeApi, PROFILE, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

describe('settings', () => {
  it('follows the system language, and switches at once when another is chosen', async () => {
    const fake = fakeApi({ profiles: [PROFILE], systemLocale: 'zh-Hans-CN' })
    await renderApp(fake)
    expect(document.documentElement.lang).toBe('zh-CN')
    await fireEvent.click(screen.getByRole('button', { name: '设置' }))
    expect(screen.getByRole('heading', { name: '设置' })).toBeTruthy()
    expect((screen.getByLabelText('语言') as HTMLSelectElement).value).toBe('system')

    await fireEvent.change(screen.getByLabelText('语言'), { target: { value: 'en' } })
    await screen.findByRole('heading', { name: 'Settings' })
    expect(fake.callsTo('settings:set')).toEqual([{ language: 'en' }])
    expect(document.documentElement.lang).toBe('en')
    expect(screen.getByRole('button', { name: 'New export' })).toBeTruthy()

    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'system' } })
    await screen.findByRole('heading', { name: '设置' })
  })

  it('uses English for a non-Chinese system, and a saved choice over the system', async () => {
    const first = await renderApp(fakeApi({ profiles: [PROFILE], systemLocale: 'de-DE' }))
    expect(screen.getByRole('button', { name: 'Settings' })).toBeTruthy()
    first.unmount()
    await renderApp(fakeApi({ profiles: [PROFILE], systemLocale: 'en-US', settings: { language: 'zh-CN' } }))
    expect(screen.getByRole('button', { name: '设置' })).toBeTruthy()
  })

  it('saves concurrency for new exports and the shared bandwidth limit, which main applies to all exports', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), queued: 1, total: 1 } })] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.input(screen.getByLabelText('Parallel downloads'), { target: { value: '12' } })
    await fireEvent.input(screen.getByLabelText('Bandwidth limit'), { target: { value: '2.5' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    await screen.findByText('Saved')
    expect(fake.callsTo('settings:set')).toEqual([{ concurrency: 12, maxBytesPerSecond: 2_621_440, rateTimetable: null, outputDir: null }])
    // Not the export on screen alone: main shares the limit among all (test/electron/side-by-side.test.ts).
    expect(fake.callsTo('export:setLimits')).toEqual([])
  })

  it('saves a bandwidth timetable and a default output folder, which a new export then uses', async () => {
    const fake = fakeApi({ profiles: [{ ...PROFILE, outputDir: undefined }] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.input(screen.getByLabelText('Bandwidth timetable'), { target: { value: ' 08:00,2MB/s 20:00,off ' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect((screen.getByLabelText('Default output folder') as HTMLInputElement).value).toBe('/picked/folder'))
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved')
    expect(fake.callsTo('settings:set')).toEqual([{ concurrency: 6, maxBytesPerSecond: null, rateTimetable: '08:00,2MB/s 20:00,off', outputDir: '/picked/folder' }])

    await fireEvent.click(screen.getByRole('button', { name: 'New export' }))
    const zone = screen.getByTestId('drop-zone')
    await fireEvent.drop(zone, { dataTransfer: { files: [new File(['a.wav\n'], 'names.txt')], types: ['Files'], dropEffect: 'none' } })
    await screen.findByTestId('preview')
    expect((screen.getByLabelText('Output folder') as HTMLInputElement).value).toBe('/picked/folder')
  })

  it("shows main's refusal of a timetable under its field in the page's language, naming the entry and why", async () => {
    const fake = fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' } })
    const problems = [
      { reason: 'time', entry: '25:00,1M', position: 2, part: '25:00' },
      { reason: 'rate', entry: '20:00,fast', position: 2, part: 'fast' },
      { reason: 'twice', entry: '08:00,off', position: 3, part: '08:00' },
      // A reason this page has no words for: main's own words, as before.
      { reason: 'unheard-of', entry: '08:00,1M', position: 1, part: '08:00' },
    ]
    fake.handle('settings:set', async () => {
      // The engine's English as main sends it: the field below must not show it.
      throw new ApiFailure('Timetable.Invalid', 'rateTimetable: in English', problems.shift())
    })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: '设置' }))
    const field = screen.getByLabelText('带宽时间表')
    await fireEvent.input(field, { target: { value: '08:00,1M 25:00,1M' } })
    await fireEvent.click(screen.getByRole('button', { name: '保存' }))
    const hint = await screen.findByText('第 2 项“25:00,1M”中的“25:00”不是有效的时间：小时为 0–23，分钟为 00–59。')
    expect(hint.id).toBe(field.getAttribute('aria-describedby'))
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(hint.textContent).not.toContain('English')
    expect(screen.getByRole('alert').textContent).toContain('带宽时间表无法使用')

    await fireEvent.click(screen.getByRole('button', { name: '保存' }))
    await screen.findByText('第 2 项“20:00,fast”中的“fast”不是可用的速率：请写 off，或不低于 1KB/s 的速率，如 512K、2MB/s。')
    await fireEvent.click(screen.getByRole('button', { name: '保存' }))
    await screen.findByText('第 3 项“08:00,off”的时间 08:00 在前面已出现过：每个时间只能写一次。')
    await fireEvent.click(screen.getByRole('button', { name: '保存' }))
    await screen.findByText('带宽时间表：in English')
  })

  it('refuses a concurrency outside 1–64', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.input(screen.getByLabelText('Parallel downloads'), { target: { value: '65' } })
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByLabelText('Parallel downloads').getAttribute('aria-invalid')).toBe('true')
  })

  it('lists profiles to test, make default, remove and add', async () => {
    const second = { ...PROFILE, name: 'backup', isDefault: false, instanceId: 'inst-2' }
    const fake = fakeApi({ profiles: [PROFILE, second] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    const list = screen.getByRole('region', { name: 'Profiles' })
    const [, backup] = within(list).getAllByRole('listitem') as [HTMLElement, HTMLElement]
    expect(list.textContent).toContain('LTAI****abcd')

    await fireEvent.click(within(backup).getByRole('button', { name: 'Test connection' }))
    await within(backup).findByText('Connection OK')
    await fireEvent.click(within(backup).getByRole('button', { name: 'Make default' }))
    await waitFor(() => expect(fake.callsTo('profiles:setDefault')).toEqual([{ name: 'backup' }]))

    const [, backupAgain] = within(list).getAllByRole('listitem') as [HTMLElement, HTMLElement]
    await fireEvent.click(within(backupAgain).getByRole('button', { name: 'Remove' }))
    expect(backupAgain.textContent).toContain('Remove this profile and its stored secret?')
    await fireEvent.click(within(backupAgain).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1))
    expect(fake.callsTo('profiles:remove')).toEqual([{ name: 'backup' }])

    await fireEvent.click(within(list).getByRole('button', { name: 'Add profile' }))
    expect(screen.getByRole('heading', { name: 'Add a profile' })).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy()
  })
})
