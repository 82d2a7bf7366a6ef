import { describe, expect, it } from 'vitest'
import { emptyCounts, type ExportProgress } from '../../main/common/progress.ts'
import { onWindowClose, quitNeedsQuestion, quitWhenAllClosed, reopenAction, trayModel } from '../../main/electron/lifecycle.ts'

const p = (id: string, state: ExportProgress['state'], done: number, total: number): ExportProgress => ({
  id,
  state,
  counts: { ...emptyCounts(), done, queued: total - done, total },
  bytes: 0,
  bytesPerSecond: 0,
  etaSeconds: null,
  failures: [],
})

describe('lifecycle', () => {
  it('keeps running in the tray when the window closes during an export, noting it once', () => {
    expect(onWindowClose(2, false)).toEqual({ keepRunning: true, note: true })
    expect(onWindowClose(1, true)).toEqual({ keepRunning: true, note: false })
    expect(onWindowClose(0, false)).toEqual({ keepRunning: false, note: false })
    expect(quitWhenAllClosed(0, 'win32')).toBe(true)
    expect(quitWhenAllClosed(1, 'linux')).toBe(false)
    expect(quitWhenAllClosed(0, 'darwin')).toBe(false)
  })

  it('brings the window back on a second launch, recreating a destroyed one instead of asking it anything', () => {
    const w = { exists: true, destroyed: false, minimized: false, visible: true }
    expect(reopenAction({ ...w, destroyed: true, minimized: true })).toBe('recreate')
    expect(reopenAction({ ...w, exists: false })).toBe('recreate')
    expect(reopenAction({ ...w, minimized: true })).toBe('restore')
    expect(reopenAction({ ...w, visible: false })).toBe('show')
    expect(reopenAction(w)).toBe('focus')
  })

  it('asks before quitting only while something runs', () => {
    expect(quitNeedsQuestion(0)).toBe(false)
    expect(quitNeedsQuestion(1)).toBe(true)
  })

  it('shows overall progress over the moving exports in the tray, in the UI language', () => {
    const running = [p('/a', 'running', 3, 10), p('/b', 'running', 2, 10), p('/c', 'finished', 5, 5)]
    expect(trayModel(running, 'zh-CN')).toEqual({
      tooltip: 'CCC 录音下载 · 2 个导出，已完成 25%',
      status: '2 个导出，已完成 25%',
      open: '打开 CCC 录音下载',
      pauseAll: '全部暂停',
      quit: '退出',
    })
    expect(trayModel([p('/c', 'finished', 5, 5)], 'en')).toMatchObject({ status: 'Nothing downloading', pauseAll: null, tooltip: 'CCC Recordings' })
  })
})
