import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { ExportEntry } from '../../../main/common/api.ts'
import { type Fake, fakeApi, PROFILE, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const DAY = 24 * 60 * 60 * 1000
const range = (id: string, over: Partial<ExportEntry> = {}): ExportEntry => ({
  ...summary({ id, outDir: id, state: 'finished', counts: { queued: 0, resolving: 0, downloading: 0, paused: 0, done: 3, failed: 0, skipped: 0, total: 3 } as ExportEntry['counts'] }),
  origin: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-03-31T00:00:00+08:00' },
  ...over,
})

async function openHistory(fake: Fake): Promise<void> {
  await renderApp(fake)
  await fireEvent.click(screen.getByRole('button', { name: /^(History|历史记录)$/ }))
}

describe('History: keep a folder in sync nightly (issue 18)', () => {
  it('installs the nightly job at the chosen time for a date range, shows it, and turns it off', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [range('/rec/q1')] })
    await openHistory(fake)
    const entry = await screen.findByTestId('sync-/rec/q1')
    await waitFor(() => expect(fake.callsTo('sync:status')).toEqual([{ id: '/rec/q1' }]))
    await fireEvent.input(within(entry).getByLabelText('Time of the nightly sync'), { target: { value: '03:30' } })
    await fireEvent.click(within(entry).getByRole('button', { name: 'Keep this folder in sync nightly' }))
    await within(entry).findByText('Synced nightly at 03:30')
    expect(fake.callsTo('sync:install')).toEqual([{ id: '/rec/q1', at: '03:30' }])
    expect(entry.textContent).toContain('No night complete yet')

    await fireEvent.click(within(entry).getByRole('button', { name: 'Stop the nightly sync' }))
    await within(entry).findByRole('button', { name: 'Keep this folder in sync nightly' })
    expect(fake.callsTo('sync:remove')).toEqual([{ id: '/rec/q1' }])
  })

  it('shows the mark, the next window and the last night, in Chinese', async () => {
    const last = { at: '2026-04-02T02:10:00.000Z', exitCode: 3, state: 'finished', markAdvanced: true, counts: { total: 12, done: 11, failed: 1, skipped: 0 } }
    const fake = fakeApi({
      profiles: [PROFILE],
      settings: { language: 'zh-CN' },
      history: [range('/rec/q1')],
      sync: { '/rec/q1': { scheduled: { at: '02:00', kind: 'systemd' }, mark: '2026-04-02T01:45:00.000Z', next: { from: '2026-04-01T23:45:00.000Z', to: '2026-04-02T08:00:00.000Z' }, last } },
    })
    await openHistory(fake)
    const entry = await screen.findByTestId('sync-/rec/q1')
    await within(entry).findByText('每晚 02:00 同步')
    expect(entry.textContent).toMatch(/已完整同步到 .*2026.* · 下次同步列出 .*至当前/)
    expect(within(entry).getByRole('status').textContent).toMatch(/上次同步（.*）：1 个失败，已校验 11 \/ 12/)
    expect(within(entry).getByRole('button', { name: '停止每晚同步' })).toBeTruthy()
  })

  it('offers no sync for a list of names, and says why a range cannot be scheduled here', async () => {
    const fake = fakeApi({
      profiles: [PROFILE],
      history: [{ ...summary({ id: '/rec/march', outDir: '/rec/march', state: 'finished' }), origin: { kind: 'names', file: '/home/u/calls-march.csv' } }, range('/rec/q1')],
      sync: { '/rec/q1': { unavailable: 'noCommandLine' } },
    })
    await openHistory(fake)
    const names = await screen.findByTestId('sync-/rec/march')
    const button = within(names).getByRole('button', { name: 'Keep this folder in sync nightly' }) as HTMLButtonElement
    expect(button.disabled).toBe(true)
    expect(button.getAttribute('aria-describedby')).toBe('sync-why-/rec/march')
    expect(names.textContent).toContain('Only an export of a date range can be kept in sync.')

    const q1 = screen.getByTestId('sync-/rec/q1')
    await within(q1).findByText('The nightly sync runs the ccc-recordings command line, which was not found on this computer.')
    expect((within(q1).getByRole('button', { name: 'Keep this folder in sync nightly' }) as HTMLButtonElement).disabled).toBe(true)
    // Only the range asked main: a list of names cannot be a sync, whatever the folder holds.
    expect(fake.callsTo('sync:status')).toEqual([{ id: '/rec/q1' }])
  })

  it("warns on the entry when the next night's oldest call nears the profile's retention", async () => {
    const from = new Date(Date.now() - 27 * DAY).toISOString()
    const fake = fakeApi({
      profiles: [{ ...PROFILE, retentionDays: 30 }],
      history: [range('/rec/q1')],
      sync: { '/rec/q1': { scheduled: { at: '02:00', kind: 'cron' }, mark: null, next: { from, to: new Date().toISOString() } } },
    })
    await openHistory(fake)
    const entry = await screen.findByTestId('sync-/rec/q1')
    expect((await within(entry).findByTestId('retention-warning')).textContent).toContain('3 days from the 30-day retention')
  })

  it('shows what main refused, in the entry', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [range('/rec/q1')] })
    fake.handle('sync:install', async () => {
      throw Object.assign(new Error('systemctl --user enable failed (exit 1): Access denied'), { code: 'Schedule.Refused' })
    })
    await openHistory(fake)
    const entry = await screen.findByTestId('sync-/rec/q1')
    await fireEvent.click(within(entry).getByRole('button', { name: 'Keep this folder in sync nightly' }))
    expect((await within(entry).findByRole('alert')).textContent).toContain('Access denied')
  })
})
