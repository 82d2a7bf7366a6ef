import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fileView } from '../../../renderer/state/file-view.svelte.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
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

describe('a folded summary (remembered across exports)', () => {
  afterEach(() => {
    localStorage.clear()
    fileView.summaryOpen = true
    setLocale('en')
  })

  async function folded(fake: ReturnType<typeof fakeApi>): Promise<HTMLElement> {
    fileView.summaryOpen = false
    await renderApp(fake)
    await screen.findByTestId('export-state')
    fake.emit('export:progress', progress({ state: 'finished', counts: failed, failures }))
    await waitFor(() => expect(screen.getByTestId('summary-line').textContent).toContain('8'))
    // The cards, Failures by cause among them, stay folded away.
    expect(screen.queryByRole('region', { name: /Failures by cause|失败原因/ })).toBeNull()
    return screen.getByTestId('summary-line')
  }

  it('still says how many files failed, and retries them all from the folded line', async () => {
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ state: 'running' })] })
    fake.files = [
      { name: 'a.wav', state: 'failed', bytes: 0, error: { code: 'NotExist.Record', message: 'gone' } },
      { name: 'b.wav', state: 'failed', bytes: 0, error: { code: 'Throttling.User', message: 'slow down' } },
    ]
    const line = await folded(fake)
    expect(line.textContent?.replace(/\s+/g, ' ').trim()).toBe('80% · 8 of 10 done · 2 failed')
    await fireEvent.click(screen.getByRole('button', { name: 'Retry all failed' }))
    expect(fake.callsTo('export:retryFailed')).toEqual([{ id: 'exp-1' }])
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('2 failed files are queued again.'))
  })

  it('says it in Chinese on a Chinese page', async () => {
    setLocale('zh-CN')
    const fake = fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' }, history: [summary({ state: 'running' })] })
    const line = await folded(fake)
    expect(line.textContent?.replace(/\s+/g, ' ').trim()).toBe('80% · 已完成 8 / 10 · 2 个失败')
    expect(screen.getByRole('button', { name: '重试全部失败文件' })).toBeTruthy()
  })

  it('mentions no failures when there are none', async () => {
    fileView.summaryOpen = false
    const fake = fakeApi({ profiles: [PROFILE], history: [summary({ state: 'running' })] })
    await renderApp(fake)
    await screen.findByTestId('export-state')
    fake.emit('export:progress', progress({ state: 'finished', counts: { ...emptyCounts(), done: 10, total: 10 } }))
    await waitFor(() => expect(screen.getByTestId('summary-line').textContent?.replace(/\s+/g, ' ').trim()).toBe('100% · 10 of 10 done'))
    expect(screen.queryByRole('button', { name: 'Retry all failed' })).toBeNull()
  })
})
