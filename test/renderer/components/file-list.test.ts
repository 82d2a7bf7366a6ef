import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { FileRow } from '../../../main/common/api.ts'
import { emptyCounts } from '../../../main/common/progress.ts'
import { fileView, toggleColumn } from '../../../renderer/state/file-view.svelte.ts'
import { setLocale } from '../../../renderer/state/locale.svelte.ts'
import { fakeApi, PROFILE, summary, type Fake } from '../fake-api.ts'
import { renderApp } from '../harness.ts'

const FILES: FileRow[] = [
  { name: 'a.wav', state: 'done', bytes: 2048, localPath: '2026-03/张三/a.wav', call: { agent: '张三', caller: '13800138000', callee: '02188880000', start: Date.UTC(2026, 2, 1, 1, 30), contactId: 'job-1' } },
  { name: 'b.wav', state: 'failed', bytes: 0, error: { code: 'NotExist.Record', message: 'The specified record does not exist. RequestId: 7F3A-9C21' } },
]

function finished(): Fake {
  // A running export opens the Queue page at start; its rows are what the list shows.
  return fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...emptyCounts(), done: 1, failed: 1, total: 2 } })], files: FILES })
}

afterEach(() => {
  localStorage.clear()
  fileView.summaryOpen = true
  for (const c of ['agent', 'caller', 'start'] as const) toggleColumn(c, true)
  for (const c of ['callee', 'contactId'] as const) toggleColumn(c, false)
  setLocale('en')
})

const list = (): HTMLElement => screen.getByRole('list', { name: 'Files' })

describe('the file list (issues 13 and 15)', () => {
  it('shows agent, caller and start beside each file, asks main for them, and adds a column from the picker', async () => {
    const fake = finished()
    await renderApp(fake)
    await waitFor(() => expect(within(list()).getByText('张三')).toBeTruthy())
    expect(within(list()).getByText('13800138000')).toBeTruthy()
    expect(within(list()).queryByText('job-1')).toBeNull()
    expect(fake.callsTo('export:files').at(-1)).toMatchObject({ call: true })

    await fireEvent.click(screen.getByRole('button', { name: 'Columns' }))
    expect(screen.getByRole('button', { name: 'Columns' }).getAttribute('aria-expanded')).toBe('true')
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Contact ID' }))
    await waitFor(() => expect(within(list()).getByText('job-1')).toBeTruthy())
    expect(localStorage.getItem('ccc.fileColumns')).toBe('agent,caller,start,contactId')

    for (const name of ['Agent', 'Caller', 'Call start', 'Contact ID']) await fireEvent.click(screen.getByRole('checkbox', { name }))
    await waitFor(() => expect(within(list()).queryByText('张三')).toBeNull())
    const calls = fake.callsTo('export:files').length
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Callee' }))
    await waitFor(() => expect(fake.callsTo('export:files').length).toBeGreaterThan(calls))
  })

  it('folds the summary cards away behind a disclosure button, and remembers it', async () => {
    await renderApp(finished())
    const toggle = await screen.findByRole('button', { name: 'Summary' })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(screen.getByTestId('percent').closest('[hidden]')).toBeNull()
    await fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.getByTestId('percent').closest('[hidden]')).not.toBeNull()
    expect(screen.getByTestId('summary-line').textContent).toContain('1 of 2 done')
    expect(localStorage.getItem('ccc.summaryOpen')).toBe('false')
  })

  it('opens a file’s whole error from its row, by keyboard-reachable button, and copies it', async () => {
    const written: string[] = []
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (s: string) => void written.push(s) } })
    await renderApp(finished())
    const open = await screen.findByRole('button', { name: /Error of b\.wav$/ })
    expect(open.getAttribute('aria-expanded')).toBe('false')
    await fireEvent.click(open)
    const detail = await screen.findByTestId('file-detail')
    expect(within(detail).getByTestId('file-error-message').textContent).toBe('The specified record does not exist. RequestId: 7F3A-9C21')
    expect(document.activeElement).toBe(detail)
    await fireEvent.click(within(detail).getByRole('button', { name: 'Copy' }))
    await within(detail).findByText('Copied')
    expect(written).toEqual(['b.wav\nNotExist.Record: The recording does not exist\nThe specified record does not exist. RequestId: 7F3A-9C21'])
    await fireEvent.click(within(detail).getByRole('button', { name: 'Close' }))
    expect(screen.queryByTestId('file-detail')).toBeNull()
  })

  it('says it in Chinese too', async () => {
    setLocale('zh-CN')
    await renderApp(fakeApi({ profiles: [PROFILE], settings: { language: 'zh-CN' }, history: [summary({ counts: { ...emptyCounts(), done: 1, failed: 1, total: 2 } })], files: FILES }))
    await fireEvent.click(await screen.findByRole('button', { name: /b\.wav 的错误$/ }))
    const detail = await screen.findByTestId('file-detail')
    expect(within(detail).getByRole('button', { name: '复制' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '概览' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '播放 a.wav' })).toBeTruthy()
  })

  it('plays a downloaded file through the app’s own scheme, its folder and path encoded', async () => {
    await renderApp(finished())
    await fireEvent.click(await screen.findByRole('button', { name: 'Play a.wav' }))
    const player = (await screen.findByTestId('player')) as HTMLAudioElement
    expect(player.getAttribute('src')).toBe('ccc-rec://play/?dir=%2Fhome%2Fuser%2FRecordings&path=2026-03%2F%E5%BC%A0%E4%B8%89%2Fa.wav')
    expect(screen.queryByRole('button', { name: 'Play b.wav' })).toBeNull()
  })

  it('reveals a done file by its whole path, the folder joined to the journal’s relative one', async () => {
    const fake = finished()
    await renderApp(fake)
    await fireEvent.click(await within(list()).findByRole('button', { name: 'Show in folder' }))
    expect(fake.callsTo('shell:reveal')).toEqual([{ path: '/home/user/Recordings/2026-03/张三/a.wav' }])
  })
})
