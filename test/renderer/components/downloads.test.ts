import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { ExportEvent } from '../../../main/common/api.ts'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, info, PROFILE, progress, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

/** March as rangeSource journals it when picked here: local midnights in UTC, the end exclusive. */
const MARCH = { kind: 'range' as const, from: new Date(2026, 2, 1).toISOString(), to: new Date(2026, 3, 1).toISOString() }

const march = (over: Partial<ExportEvent> = {}): ExportEvent =>
  progress({ id: '/rec/march', export: { ...info({ id: '/rec/march', outDir: '/rec/march' }), origin: { kind: 'names', file: '/home/u/calls-march.csv' } }, ...over })
const range = (over: Partial<ExportEvent> = {}): ExportEvent =>
  progress({
    id: '/rec/q1',
    export: { ...info({ id: '/rec/q1', outDir: '/rec/q1' }), origin: MARCH },
    bytesPerSecond: 3 * 1024 * 1024,
    ...over,
  })

const table = (): HTMLElement => screen.getByRole('table', { name: 'Exports' })
const rowNamed = (name: string): HTMLElement => within(table()).getByRole('button', { name }).closest('tr') as HTMLElement

describe('queue as a download manager', () => {
  it('lists every export running in this session by name, each with its own controls', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    fake.emit('export:progress', march())
    fake.emit('export:progress', range())
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    await waitFor(() => expect(within(table()).getAllByTestId('export-row')).toHaveLength(2))

    const q1 = rowNamed('2026-03-01 → 03-31')
    expect(q1.textContent).toContain('Date range')
    expect(q1.textContent).toContain('/rec/q1')
    expect(q1.textContent).toContain('3 MB/s')
    expect(rowNamed('calls-march.csv').textContent).toContain('40%')

    await fireEvent.click(within(q1).getByRole('button', { name: 'Pause 2026-03-01 → 03-31' }))
    await fireEvent.click(within(rowNamed('calls-march.csv')).getByRole('button', { name: 'Pause calls-march.csv' }))
    expect(fake.callsTo('export:pause')).toEqual([{ id: '/rec/q1' }, { id: '/rec/march' }])

    await fireEvent.click(within(q1).getByRole('button', { name: 'Cancel 2026-03-01 → 03-31' }))
    await fireEvent.click(within(q1).getByRole('button', { name: 'Cancel export' }))
    expect(fake.callsTo('export:cancel')).toEqual([{ id: '/rec/q1' }])
  })

  it('shows the selected export in detail, and switches when another is chosen', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    fake.emit('export:progress', march())
    fake.emit('export:progress', range({ counts: { ...emptyCounts(), done: 7, queued: 3, total: 10 } }))
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    await waitFor(() => expect(screen.getByTestId('export-name').textContent).toBe('calls-march.csv'))

    await fireEvent.click(within(table()).getByRole('button', { name: '2026-03-01 → 03-31' }))
    await waitFor(() => expect(screen.getByTestId('export-name').textContent).toBe('2026-03-01 → 03-31'))
    expect(screen.getByTestId('percent').textContent).toBe('70%')
    expect(fake.callsTo('export:files').some((r) => (r as { id: string }).id === '/rec/q1')).toBe(true)
    // The nav's number is over both: 4 + 7 of 20.
    expect(within(screen.getByRole('navigation')).getByText('55%')).toBeTruthy()
  })

  it('pauses all and resumes all, and lists unfinished exports from History beside this session’s', async () => {
    const fake = fakeApi({
      profiles: [PROFILE],
      history: [
        summary({ id: '/rec/old', outDir: '/rec/old', state: 'paused', interrupted: true }),
        summary({ id: '/rec/done', outDir: '/rec/done', state: 'finished', counts: { ...emptyCounts(), done: 3, total: 3 } }),
      ],
    })
    await renderApp(fake)
    fake.emit('export:progress', march())
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    await waitFor(() => expect(within(table()).getAllByTestId('export-row')).toHaveLength(2))
    expect(within(table()).queryByRole('button', { name: 'done' })).toBeNull()

    await fireEvent.click(screen.getByRole('button', { name: 'Pause all' }))
    expect(fake.callsTo('exports:pauseAll')).toHaveLength(1)
    fake.emit('export:progress', march({ state: 'paused' }))
    await fireEvent.click(await screen.findByRole('button', { name: 'Resume all' }))
    await waitFor(() => expect(fake.callsTo('export:resume')).toHaveLength(2))
    expect(new Set(fake.callsTo('export:resume'))).toEqual(new Set([{ id: '/rec/march' }, { id: '/rec/old' }]))
  })

  it('says since when an export waits for the network, in both languages', async () => {
    const fake = fakeApi({ profiles: [PROFILE] })
    await renderApp(fake)
    const since = new Date(2026, 2, 1, 14, 5).toISOString()
    fake.emit('export:progress', march({ network: { waitingSince: since } }))
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    expect((await within(table()).findByRole('status')).textContent).toBe('Waiting for the network since 14:05')
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } })
    await fireEvent.click(await screen.findByRole('button', { name: /下载队列/ }))
    expect((await within(screen.getByRole('table', { name: '导出任务' })).findByRole('status')).textContent).toBe('自 14:05 起等待网络恢复')
  })
})
