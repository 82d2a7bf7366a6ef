import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { presetDays } from '../../../renderer/lib/range-presets.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
import { fakeApi, PROFILE } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

async function pasted(fake: ReturnType<typeof fakeApi>): Promise<void> {
  await renderApp(fake)
  await fireEvent.click(screen.getByRole('tab', { name: 'Paste names' }))
  await fireEvent.input(screen.getByLabelText(/names/i, { selector: 'textarea' }), { target: { value: 'a.wav\nb.wav\nc.wav' } })
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
  await screen.findByTestId('preview')
}

describe('naming and filters on the new-export screen (issue 13)', () => {
  it('previews the first names of a preset, refuses a bad template in the page’s language, and sends the filters', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await pasted(fake)
    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'by-date-agent' } })
    await waitFor(() => expect(within(screen.getByTestId('naming-preview')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['2026/03/01/a.wav', '2026/03/01/b.wav', '2026/03/01/c.wav']))
    expect(fake.callsTo('import:names').at(-1)).toEqual({ token: 'tok-1', template: 'by-date-agent' })

    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'custom' } })
    await fireEvent.input(screen.getByLabelText('Template'), { target: { value: '{bad}' } })
    await waitFor(() => expect(screen.queryByTestId('naming-preview')).toBeNull())
    expect(fake.callsTo('import:names').at(-1)).toEqual({ token: 'tok-1', template: '{bad}' })
    await fireEvent.input(screen.getByLabelText('Template'), { target: { value: '{agent}/{fileName}' } })
    await screen.findByTestId('naming-preview')

    await fireEvent.input(screen.getByLabelText('Agent (ID or name)'), { target: { value: ' 张伟 ' } })
    await fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'outbound' } })
    await fireEvent.input(screen.getByLabelText('At least (seconds)'), { target: { value: '30' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Start downloading 3 files' }))
    await waitFor(() => expect(fake.callsTo('export:start')).toHaveLength(1))
    expect(fake.callsTo('export:start')[0]).toMatchObject({ nameTemplate: '{agent}/{fileName}', filter: { agent: '张伟', direction: 'outbound', minDuration: 30 } })
  })

  it('shows the catalog’s meaning of an invalid template in Chinese', async () => {
    setLocale('zh-CN')
    const fake = fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' } })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: '粘贴文件名' }))
    await fireEvent.input(screen.getByRole('textbox'), { target: { value: 'a.wav' } })
    await fireEvent.click(screen.getByRole('button', { name: '预览' }))
    await screen.findByTestId('preview')
    await fireEvent.change(screen.getByLabelText('文件命名方式'), { target: { value: 'custom' } })
    await fireEvent.input(screen.getByLabelText('模板'), { target: { value: '{bad}' } })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('命名模板无法使用')
    expect(alert.textContent).toContain('Template.Invalid')
    setLocale('en')
  })

  it('fills a date range from its quick choices, in local days, and never offers to download 0 files', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Last 7 days' }))
    const week = presetDays('last7')
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe(week.from)
    expect((screen.getByLabelText('To (inclusive)') as HTMLInputElement).value).toBe(week.to)
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('preview')
    expect(screen.getByRole('button', { name: 'Start: list the calls and download them' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Start downloading 0/ })).toBeNull()
    await waitFor(() => expect(screen.getByTestId('range-count').textContent?.trim()).toBe('1,234 calls in this range, about 4.7 GB to download (estimated from their durations)'))
    expect(fake.callsTo('import:count')).toEqual([{ token: 'tok-1', profile: 'default', template: 'flat' }])
  })

  it('previews a date range by its local days and its calls, not as an empty list of files', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2026-03-01' } })
    await fireEvent.input(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-03-07' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    const preview = await screen.findByTestId('preview')
    expect(within(preview).getByRole('heading', { level: 2 }).textContent).toBe('2026-03-01 → 03-07')
    await waitFor(() => expect(within(preview).getByTestId('range-count').textContent?.trim()).toMatch(/^1,234 calls in this range/))
    expect(within(preview).queryByText('Files to download')).toBeNull()
    expect(within(preview).queryByText('No usable file names were found in this list.')).toBeNull()
  })

  it('names a date range’s first recordings with the chosen naming, and counts them under the filter', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('tab', { name: 'Date range' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Yesterday' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }))
    const names = () => screen.getByTestId('naming-preview').textContent
    await waitFor(() => expect(names()).toBe('c1.wavc2.wav'))
    await fireEvent.change(screen.getByLabelText('Name the files'), { target: { value: 'by-date' } })
    await fireEvent.input(screen.getByLabelText('Agent (ID or name)'), { target: { value: '张三' } })
    await waitFor(() => expect(names()).toBe('2026/03/01/c1.wav2026/03/01/c2.wav'))
    // Asked again once the choices settle, with the naming and the filter.
    expect(fake.callsTo('import:count').at(-1)).toEqual({ token: 'tok-1', profile: 'default', template: 'by-date', filter: { agent: '张三' } })
    expect(screen.queryByText('A date range or contact IDs are named as they are listed, when the export runs.')).toBeNull()
  })

  it('computes the presets from the local calendar', () => {
    const now = new Date(2026, 2, 1, 0, 30)
    expect(presetDays('yesterday', now)).toEqual({ from: '2026-02-28', to: '2026-02-28' })
    expect(presetDays('last7', now)).toEqual({ from: '2026-02-22', to: '2026-02-28' })
    expect(presetDays('lastMonth', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(presetDays('lastMonth', new Date(2026, 0, 15))).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })
})
