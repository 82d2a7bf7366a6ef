import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, PROFILE, progress, summary } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const failed = { ...emptyCounts(), done: 8, failed: 2, total: 10 }
const failures = [
  { code: 'NotExist.Record', count: 1, sample: 'gone' },
  { code: 'Throttling.User', count: 1, sample: 'slow down' },
]

describe('failed files and finished exports', () => {
  it('retries every failed file at once from the queue, and opens the report', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ state: 'running' })] })
    fake.files = [
      { name: 'a.wav', state: 'failed', bytes: 0, error: { code: 'NotExist.Record', message: 'gone' } },
      { name: 'b.wav', state: 'failed', bytes: 0, error: { code: 'Throttling.User', message: 'slow down' } },
    ]
    await renderApp(fake)
    await screen.findByTestId('export-state')
    fake.emit('export:progress', progress({ state: 'finished', counts: failed, failures, export: { ...summary(), reportPath: '/home/user/Recordings/report.csv' } }))
    const group = await screen.findByRole('region', { name: 'Failures by cause' })
    await fireEvent.click(within(group).getByRole('button', { name: 'Retry all failed' }))
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('2 failed files are queued again.'))
    expect(fake.callsTo('export:retryFailed')).toEqual([{ id: 'exp-1' }])
    await fireEvent.click(screen.getByRole('button', { name: 'Open report' }))
    expect(fake.callsTo('shell:openPath')).toEqual([{ path: '/home/user/Recordings/report.csv' }])
  })

  it('offers a finished export with failures a retry in History, not a Resume that would do nothing', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ id: '/rec/m', outDir: '/rec/m', state: 'finished', counts: failed, failures })] })
    await renderApp(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'History' }))
    const item = await screen.findByRole('listitem')
    expect(within(item).queryByRole('button', { name: 'Resume' })).toBeNull()
    await fireEvent.click(within(item).getByRole('button', { name: 'Retry all failed' }))
    await waitFor(() => expect(fake.callsTo('export:retryFailed')).toEqual([{ id: '/rec/m' }]))
    expect(screen.getByRole('heading', { name: 'Queue', level: 1 })).toBeTruthy()
  })
})
