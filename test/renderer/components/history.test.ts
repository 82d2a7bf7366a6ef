import { fireEvent, screen, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, PROFILE, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

/** March as rangeSource journals it when picked here: local midnights in UTC, the end exclusive. */
const MARCH = { kind: 'range' as const, from: new Date(2026, 2, 1).toISOString(), to: new Date(2026, 3, 1).toISOString() }

async function openHistory(fake: ReturnType<typeof fakeApi>): Promise<void> {
  await renderApp(fake)
  await fireEvent.click(screen.getByRole('button', { name: 'History' }))
}

describe('history', () => {
  it('says there is nothing yet', async () => {
    await openHistory(fakeApi({ profiles: [PROFILE] }))
    expect((await screen.findByTestId('history-empty')).textContent).toContain('No exports yet.')
  })

  it('lists past exports with open folder, report and resume', async () => {
    const fake = fakeApi({
      profiles: [PROFILE],
      history: [
        summary({
          id: 'a',
          outDir: '/rec/march',
          state: 'finished',
          counts: { ...emptyCounts(), done: 98, failed: 2, total: 100 },
          bytes: 50 * 1024 * 1024,
          reportPath: '/rec/march/report.csv',
        }),
        summary({ id: 'b', outDir: '/rec/april', state: 'paused', counts: { ...emptyCounts(), done: 10, queued: 90, total: 100 } }),
        summary({ id: 'c', outDir: '/rec/may', state: 'finished', counts: { ...emptyCounts(), done: 100, total: 100 } }),
      ],
    })
    await openHistory(fake)
    const items = await screen.findAllByRole('listitem')
    expect(items).toHaveLength(3)
    const [march, april, may] = items as [HTMLElement, HTMLElement, HTMLElement]
    expect(march.textContent).toContain('98 of 100 done')
    expect(march.textContent).toContain('2 failed')
    expect(march.textContent).toContain('50 MB')
    expect(within(may).queryByRole('button', { name: 'Resume' })).toBeNull()
    expect(within(may).queryByRole('button', { name: 'Show report' })).toBeNull()

    await fireEvent.click(within(march).getByRole('button', { name: 'Open folder' }))
    await fireEvent.click(within(march).getByRole('button', { name: 'Show report' }))
    expect(fake.callsTo('shell:openPath')).toEqual([{ path: '/rec/march' }])
    expect(fake.callsTo('shell:reveal')).toEqual([{ path: '/rec/march/report.csv' }])

    await fireEvent.click(within(april).getByRole('button', { name: 'Resume' }))
    await screen.findByTestId('export-state')
    expect(fake.callsTo('export:resume')).toEqual([{ id: 'b' }])
    expect(within(screen.getByRole('region', { name: 'Details of the selected export' })).getByText('/rec/april')).toBeTruthy()
  })

  it('leads from a running export to its progress', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ id: 'run', outDir: '/rec/now', state: 'running' })] })
    await openHistory(fake)
    const item = await screen.findByRole('listitem')
    expect(within(item).queryByRole('button', { name: 'Resume' })).toBeNull()
    await fireEvent.click(within(item).getByRole('button', { name: 'Show progress' }))
    expect(screen.getByTestId('export-state').textContent).toBe('Downloading')
    expect(fake.callsTo('export:resume')).toEqual([])
  })

  it('names each export by its source and removes one from the list, not from disk', async () => {
    const fake = fakeApi({
      profiles: [PROFILE],
      history: [
        { ...summary({ id: '/rec/q1', outDir: '/rec/q1', state: 'finished' }), origin: MARCH },
        { ...summary({ id: '/rec/march', outDir: '/rec/march', state: 'finished' }), origin: { kind: 'names', file: '/home/u/calls-march.csv' } },
      ],
    })
    await openHistory(fake)
    await screen.findByRole('heading', { name: '2026-03-01 → 03-31' })
    const march = screen.getByRole('heading', { name: 'calls-march.csv' }).closest('li') as HTMLElement
    await fireEvent.click(within(march).getByRole('button', { name: 'Remove from history' }))
    expect(fake.callsTo('exports:forget')).toEqual([{ id: '/rec/march' }])
    expect(screen.getAllByRole('listitem')).toHaveLength(1)
  })

  it('explains a folder that cannot be opened', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ state: 'finished' })] })
    fake.handle('shell:openPath', async () => {
      throw Object.assign(new Error('The folder no longer exists.'), { code: 'Shell.NotFound' })
    })
    await openHistory(fake)
    await fireEvent.click(await screen.findByRole('button', { name: 'Open folder' }))
    expect((await screen.findByRole('alert')).textContent).toContain('The folder no longer exists.')
  })
})
