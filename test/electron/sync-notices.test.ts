import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NightWatch } from '../../main/electron/night-watch.ts'
import { AnnouncedStore } from '../../main/electron/settings-store.ts'
import { type NightResult, nightNotices, noticeText, type Notice } from '../../main/electron/sync-notices.ts'

const night = (over: Partial<NightResult> = {}): NightResult => ({
  dir: '/srv/archive/q1',
  at: '2026-04-02T02:10:00.000Z',
  exitCode: 0,
  state: 'finished',
  markAdvanced: true,
  mark: '2026-04-02T01:45:00.000Z',
  counts: { total: 12, done: 12, failed: 0 },
  failedThisRun: 0,
  ...over,
})

describe('nightNotices (pure)', () => {
  it('announces each folder whose latest run was not announced, once, and records it', () => {
    const a = night()
    const b = night({ dir: '/srv/archive/q2', at: '2026-04-02T02:20:00.000Z' })
    const first = nightNotices([a, b], { '/srv/archive/q2': b.at, '/srv/gone': 'x' }, 'en')
    expect(first.notices).toEqual([{ dir: a.dir, title: 'Nightly sync done: q1', body: '12 of 12 verified; complete up to 2026-04-02T01:45:00.000Z' }])
    // A folder no longer scheduled leaves the record.
    expect(first.announced).toEqual({ [a.dir]: a.at, [b.dir]: b.at })
    expect(nightNotices([a, b], first.announced, 'en').notices).toEqual([])
    const tomorrow = night({ at: '2026-04-03T02:10:00.000Z' })
    expect(nightNotices([tomorrow, b], first.announced, 'en').notices.map((n) => n.dir)).toEqual([a.dir])
  })

  it('says failures and incomplete nights apart, in zh-CN and en', () => {
    const failed = night({ exitCode: 3, counts: { total: 12, done: 11, failed: 3 }, failedThisRun: 1 })
    expect(noticeText(failed, 'en')).toEqual({ title: 'Nightly sync: 1 failed in q1', body: '11 of 12 verified. Open History to see the failures and what to do about each.' })
    // Failures an earlier night announced (a recording CCC deleted) do not make every night a failed one.
    const earlier = night({ counts: { total: 12, done: 10, failed: 2 }, failedThisRun: 0 })
    expect(noticeText(earlier, 'en').title).toBe('Nightly sync done: q1')
    expect(noticeText(failed, 'zh-CN').title).toBe('每晚同步：q1 有 1 个失败')
    const stopped = night({ exitCode: 4, state: 'stopped', markAdvanced: false })
    expect(noticeText(stopped, 'en').title).toBe('Nightly sync did not complete: q1')
    expect(noticeText(stopped, 'zh-CN').body).toBe('同步已停止（stopped，退出码 4）；下一晚会重新列出这些通话。日志在日志文件夹中。')
    expect(noticeText(night({ exitCode: 130, markAdvanced: true }), 'en').title).toBe('Nightly sync did not complete: q1')
    expect(noticeText(night(), 'zh-CN')).toEqual({ title: '每晚同步完成：q1', body: '已校验 12 / 12；已完整同步到 2026-04-02T01:45:00.000Z' })
  })
})

describe('NightWatch (real folders)', () => {
  let work: string
  let config: string
  let dir: string
  let watcher: NightWatch | undefined
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'night-watch-'))
    config = join(work, 'config')
    dir = join(work, 'archive')
    await mkdir(config)
    await mkdir(join(dir, '.ccc-recordings'), { recursive: true })
    const entry = { name: 'ccc-recordings-sync-1234abcd', dir, at: '02:00', kind: 'systemd', files: [], logFile: join(work, 'x.log') }
    await writeFile(join(config, 'schedules.json'), JSON.stringify([entry]))
  })
  afterEach(async () => {
    await watcher?.close()
    await rm(work, { recursive: true, force: true })
  })

  const lastFile = (at: string, failed = 0) => writeFile(join(dir, '.ccc-recordings', 'sync-last.json'), JSON.stringify({ ...night({ dir, at, counts: { total: 5, done: 5 - failed, failed }, failedThisRun: failed }), window: { from: at, to: at } }))

  it('announces on launch what was not announced before, then each new night as its file changes, remembering across launches', async () => {
    await lastFile('2026-04-02T02:10:00.000Z')
    const shown: Notice[] = []
    let arrived: (() => void) | undefined
    watcher = new NightWatch(config, new AnnouncedStore(config), () => 'en', (n) => {
      shown.push(n)
      arrived?.()
    })
    await watcher.watch()
    expect(shown.map((n) => n.title)).toEqual(['Nightly sync done: archive'])

    const next = new Promise<void>((resolve) => (arrived = resolve))
    await lastFile('2026-04-03T02:10:00.000Z', 2)
    await next
    expect(shown.map((n) => n.title)).toEqual(['Nightly sync done: archive', 'Nightly sync: 2 failed in archive'])
    await watcher.close()

    // The next launch: nothing new, nothing shown; the record is in the config folder.
    const again: Notice[] = []
    watcher = new NightWatch(config, new AnnouncedStore(config), () => 'zh-CN', (n) => again.push(n))
    await watcher.check()
    expect(again).toEqual([])
  })
})
