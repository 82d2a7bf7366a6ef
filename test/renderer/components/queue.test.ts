import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { FileRow } from '../../../main/common/api.ts'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fakeApi, info, PROFILE, progress, summary, type Fake } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

function rows(n: number, make: (i: number) => Partial<FileRow> = () => ({})): FileRow[] {
  return Array.from({ length: n }, (_, i) => ({ name: `1700000000${String(i).padStart(6, '0')}-call.wav`, state: 'queued', bytes: 0, ...make(i) }))
}

/** The app opens on the queue when history has a running export. */
async function openQueue(fake: Fake): Promise<void> {
  await renderApp(fake)
  await screen.findByTestId('export-state')
}

/** The selected export's detail, below the list of exports (which shows some of the same values). */
const detail = (): HTMLElement => screen.getByRole('region', { name: 'Details of the selected export' })

function running(over: Parameters<typeof fakeApi>[0] = {}): Fake {
  return fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), queued: 10, total: 10 } })], files: rows(10), ...over })
}

describe('queue', () => {
  it('says so when nothing is running', async () => {
    await renderApp(fakeApi({ profiles: [PROFILE] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Queue' }))
    expect(screen.getByText(/No export is running/)).toBeTruthy()
  })

  it('shows progress, bytes, rate, ETA and counts as progress arrives, and pauses', async () => {
    const fake = running()
    await openQueue(fake)
    fake.emit('export:progress', progress())
    await waitFor(() => expect(screen.getByTestId('percent').textContent).toBe('40%'))

    expect(screen.getByTestId('done-total').textContent).toBe('4 of 10 done')
    expect(screen.getByText('4 MB')).toBeTruthy()
    expect(within(detail()).getByText('1 MB/s')).toBeTruthy()
    expect(screen.getByText('2 min 5 s')).toBeTruthy()
    const chips = screen.getByRole('list', { name: 'Files by state' })
    expect(within(chips).getByText('Downloading').parentElement?.textContent).toContain('2')
    expect(screen.getByTestId('export-state').textContent).toBe('Downloading')
    const nav = screen.getByRole('navigation')
    expect(within(nav).getByText('40%')).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Pause' }))
    expect(fake.callsTo('export:pause')).toEqual([{ id: 'exp-1' }])
  })

  it('offers resume when paused, explaining why it paused', async () => {
    const fake = running()
    await openQueue(fake)
    fake.emit('export:progress', progress({ state: 'paused', etaSeconds: null, reason: { code: 'DiskFull', message: 'ENOSPC' } }))
    await screen.findByRole('button', { name: 'Resume' })

    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull()
    expect(screen.getByTestId('export-state').textContent).toBe('Paused')
    expect(screen.getByRole('alert').textContent).toContain('The disk is full')
    expect(screen.getByRole('alert').textContent).toContain('Free some space or choose another folder, then resume.')
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }))
    expect(fake.callsTo('export:resume')).toEqual([{ id: 'exp-1' }])
  })

  it('cancels only after confirming', async () => {
    const fake = running()
    await openQueue(fake)
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('alertdialog').textContent).toContain('Files already downloaded and verified are kept.')
    await fireEvent.click(screen.getByRole('button', { name: 'Keep going' }))
    expect(fake.callsTo('export:cancel')).toEqual([])
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel export' }))
    expect(fake.callsTo('export:cancel')).toEqual([{ id: 'exp-1' }])
  })

  it('when finished, offers the folder and no controls', async () => {
    const fake = running()
    await openQueue(fake)
    fake.emit('export:progress', progress({ state: 'finished', counts: { ...emptyCounts(), done: 10, total: 10 }, etaSeconds: null }))
    await waitFor(() => expect(screen.getByTestId('export-state').textContent).toBe('Finished'))
    expect(screen.getByTestId('percent').textContent).toBe('100%')
    for (const name of ['Pause', 'Resume', 'Cancel']) expect(screen.queryByRole('button', { name })).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }))
    expect(fake.callsTo('shell:openPath')).toEqual([{ path: '/home/user/Recordings' }])
  })

  it('groups failures by code with meaning and action, retries a group and saves it as CSV', async () => {
    const files = rows(10, (i) => (i < 3 ? { state: 'failed', error: { code: 'NotExist.Record', message: 'gone' } } : i === 3 ? { state: 'failed', error: { code: 'Throttling.User', message: 'slow down' } } : { state: 'done', bytes: 2048, localPath: `/out/${i}.wav` }))
    const fake = running({ files })
    await openQueue(fake)
    fake.emit(
      'export:progress',
      progress({
        state: 'finished',
        counts: { ...emptyCounts(), done: 6, failed: 4, total: 10 },
        failures: [
          { code: 'NotExist.Record', count: 3, sample: 'recording 1700000000000000-call.wav does not exist' },
          { code: 'Throttling.User', count: 1, sample: 'slow down' },
        ],
      }),
    )
    const groups = await screen.findByRole('region', { name: 'Failures by cause' })
    const articles = groups.querySelectorAll('article')
    expect(articles).toHaveLength(2)
    expect(articles[0]?.textContent).toContain('The recording does not exist')
    expect(articles[0]?.textContent).toContain('Check the file name; the recording may also have expired')
    expect(articles[0]?.textContent).toContain('3 files')
    expect(articles[1]?.textContent).toContain('Requests from this account are being throttled')

    await fireEvent.click(within(articles[0] as HTMLElement).getByRole('button', { name: 'Retry this group' }))
    await screen.findByText('3 files with NotExist.Record are queued again.')
    expect(fake.callsTo('export:retryGroup')).toEqual([{ id: 'exp-1', code: 'NotExist.Record' }])

    await fireEvent.click(within(articles[0] as HTMLElement).getByRole('button', { name: 'Save this group as CSV' }))
    await screen.findByText(/Saved to \/home\/user\/Recordings\/failed-NotExist.Record.csv/)
    expect(fake.callsTo('export:saveGroup')).toEqual([{ id: 'exp-1', code: 'NotExist.Record' }])

    await fireEvent.click(within(articles[0] as HTMLElement).getByRole('button', { name: 'Show files' }))
    await waitFor(() => expect(screen.getByRole('list', { name: 'Files' }).querySelectorAll('[role=listitem]')).toHaveLength(3))
    expect(fake.callsTo('export:files').at(-1)).toEqual({ id: 'exp-1', offset: 0, limit: 100, state: 'failed', code: 'NotExist.Record', call: true })
  })

  it('shows failure groups in Chinese when the system is Chinese', async () => {
    const fake = running({ systemLocale: 'zh-CN' })
    await openQueue(fake)
    fake.emit('export:progress', progress({ state: 'finished', failures: [{ code: 'OssNotOpen', count: 10, sample: 'x' }] }))
    const groups = await screen.findByRole('region', { name: '失败原因' })
    expect(groups.textContent).toContain('没有开通 OSS 服务')
    expect(groups.textContent).toContain('在呼叫中心控制台为该实例开通录音存储（OSS）后重试。')
    expect(within(groups).getByRole('button', { name: '重试这一组' })).toBeTruthy()
  })

  it('renders only the visible rows of 100,000 and fetches them in windows as it scrolls', async () => {
    const total = 100_000
    const fake = running({ history: [summary({ counts: { ...emptyCounts(), queued: total, total } })], files: rows(total) })
    await openQueue(fake)
    const list = screen.getByRole('list', { name: 'Files' })
    await waitFor(() => expect(list.textContent).toContain('1700000000000000-call.wav'))

    const rendered = list.querySelectorAll('[role=listitem]')
    expect(rendered.length).toBeGreaterThan(10)
    expect(rendered.length).toBeLessThan(60)
    const fetched = fake.callsTo('export:files') as { offset: number; limit: number }[]
    expect(fetched.every((r) => r.limit === 100)).toBe(true)
    expect(screen.getByText('(100,000)')).toBeTruthy()

    const viewport = screen.getByTestId('file-viewport')
    viewport.scrollTop = 50_000 * 32
    await fireEvent.scroll(viewport)
    await waitFor(() => expect(list.textContent).toContain('1700000000050000-call.wav'))
    expect(list.querySelectorAll('[role=listitem]').length).toBeLessThan(60)
    expect(list.textContent).not.toContain('1700000000000000-call.wav')
    expect((fake.callsTo('export:files') as { offset: number }[]).some((r) => r.offset === 50_000)).toBe(true)
    expect(fake.callsTo('export:files').length).toBeLessThan(8)
  })

  it('refreshes the visible rows when progress arrives', async () => {
    const fake = running()
    await openQueue(fake)
    const list = screen.getByRole('list', { name: 'Files' })
    await waitFor(() => expect(within(list).getAllByText('Queued')).toHaveLength(10))
    fake.files = rows(10, (i) => (i === 0 ? { state: 'done', bytes: 3 * 1024 * 1024, localPath: '/out/a.wav' } : {}))
    fake.emit('export:progress', progress())
    await waitFor(() => expect(within(list).getAllByText('Queued')).toHaveLength(9))
    expect(within(list).getByText('3 MB')).toBeTruthy()
    await fireEvent.click(within(list).getByRole('button', { name: 'Show in folder' }))
    expect(fake.callsTo('shell:reveal')).toEqual([{ path: '/out/a.wav' }])
  })

  it('follows an export that main resumed by itself', async () => {
    const fake = fakeApi({ profiles: [PROFILE], files: rows(10) })
    await renderApp(fake)
    const asked = fake.callsTo('exports:history').length
    fake.emit('export:progress', progress({ id: 'exp-9', export: info({ id: 'exp-9', outDir: '/data/rec' }) }))
    await fireEvent.click(screen.getByRole('button', { name: /Queue/ }))
    await waitFor(() => expect(within(detail()).getByText('/data/rec')).toBeTruthy())
    expect(screen.getByTestId('percent').textContent).toBe('40%')
    // The event says which export it is: the queue does not read the whole history to find out.
    expect(fake.callsTo('exports:history')).toHaveLength(asked)
  })
})
