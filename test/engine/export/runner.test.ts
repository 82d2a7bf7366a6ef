import { readdirSync, readFileSync } from 'node:fs'
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExportProgress } from '../../../main/common/progress.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { ExportInUseError } from '../../../main/engine/export/folder-lock.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { ExportRunner, type NewExport } from '../../../main/engine/export/runner.ts'
import { simAndFolder, simClient } from './sim-folder.ts'

const at = simAndFolder('runner-')

const fastBackoff = { baseMs: 5, capMs: 50 }

function client(instanceId?: string) {
  return simClient(at.sim)
}

function init(overrides: Partial<NewExport> = {}): NewExport {
  return {
    instanceId: at.sim.instanceId,
    source: { kind: 'names' },
    options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null },
    ...overrides,
  }
}

async function open(overrides: Partial<NewExport> = {}) {
  return ExportRunner.open(at.dir, { client: client(), backoff: fastBackoff, progressIntervalMs: 20 }, init(overrides))
}

async function expectOnDisk(names: string[]) {
  for (const name of names) {
    const bytes = await readFile(join(at.dir, name))
    expect(bytes.equals(at.sim.content(name)), name).toBe(true)
  }
  const leftovers = (await readdir(at.dir)).filter((f) => f.includes('.part'))
  expect(leftovers).toEqual([])
}

/** Resolves at the first progress report that passes `test`: the moment a test acts on, without a sleep. */
function progressWhen(runner: ExportRunner, test: (p: ExportProgress) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = runner.onProgress((p) => {
      if (test(p)) {
        off()
        resolve()
      }
    })
  })
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}.wav`)

describe('export runner', () => {
  it('downloads every file, verified, and writes the journal and report', async () => {
    const list = names('basic', 20)
    const runner = await open()
    runner.add(list)
    const seen: ExportProgress[] = []
    runner.onProgress((p) => seen.push(p))
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk(list)
    expect(runner.progress().counts).toMatchObject({ total: 20, done: 20, failed: 0 })
    expect(seen.at(-1)?.state).toBe('finished')
    const report = await readFile(join(at.dir, 'report.csv'), 'utf8')
    // The contract's eight columns first, as they always were; verified_by came later, last.
    expect(report.startsWith('\uFEFFfile_name,status,bytes,crc64,error_code,error_message,attempts,local_path,verified_by\r\n')).toBe(true)
    expect(report.trim().split('\r\n')).toHaveLength(21)
  })

  it('records a file done only after the rename into its folder is synced', async () => {
    // Two days, so two folders (by-date layout); names begin with the call's start in ms.
    const list = [...names('1790812800000', 6), ...names('1790899200000', 6)]
    const syncs: { dir: string; present: Set<string>; recorded: string }[] = []
    const syncFolder = async (dir: string): Promise<void> => {
      // What a crash right now would keep: the folder's files, and the journal's done lines.
      syncs.push({ dir, present: new Set(readdirSync(dir)), recorded: readFileSync(journalPath(at.dir), 'utf8') })
    }
    const runner = await ExportRunner.open(
      at.dir,
      { client: client(), backoff: fastBackoff, syncFolder },
      init({ options: { concurrency: 4, layout: 'by-date', maxBytesPerSecond: null } }),
    )
    runner.add(list)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    const done = readFileSync(journalPath(at.dir), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"done"'))
      .map((l) => JSON.parse(l) as { name: string; path: string })
    expect(done).toHaveLength(12)
    expect(new Set(done.map((d) => dirname(d.path))).size).toBe(2)
    for (const { name, path } of done) {
      const folder = dirname(join(at.dir, path))
      const covering = syncs.find((s) => s.dir === folder && s.present.has(name) && !s.recorded.includes(`"name":"${name}"`))
      expect(covering, name).toBeDefined()
    }
    // Folder syncs go with journal writes, not with files.
    expect(syncs.length).toBeLessThan(done.length)
  })

  it('lets one runner at a time open a folder', async () => {
    const first = await open()
    await expect(open()).rejects.toBeInstanceOf(ExportInUseError)
    await first.close()
    const second = await open()
    await second.close()
  })

  it('survives every injected fault: throttling, 503s, resets, truncation, expired URLs', async () => {
    const list = names('faulty', 12)
    at.sim.fault(list[0]!, { kind: 'throttle', times: 2 })
    at.sim.fault(list[1]!, { kind: 'api-unavailable', times: 2 })
    at.sim.fault(list[2]!, { kind: 'oss-unavailable', times: 2 })
    at.sim.fault(list[3]!, { kind: 'reset', afterBytes: 1000, times: 2 })
    at.sim.fault(list[4]!, { kind: 'truncate', afterBytes: 700, times: 1 })
    at.sim.fault(list[5]!, { kind: 'expire-url', times: 1 })
    at.sim.fault(list[6]!, { kind: 'api-internal', times: 1 })
    for (const n of list.slice(0, 7)) at.sim.setSize(n, 48 * 1024)
    const runner = await open()
    runner.add(list)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk(list)
    // A truncated body arrived in part: the retry asks for the rest. (After a reset the kernel may
    // drop the bytes in flight with the RST, so whether list[3] resumes or restarts depends on timing.)
    expect(at.sim.stats.rangeGets.get(list[4]!) ?? 0).toBeGreaterThan(0)
    expect(at.sim.stats.downloadRecordingCalls.get(list[5]!)).toBeGreaterThanOrEqual(2)
  })

  it('says in the report which file was verified by its length alone (no checksum came)', async () => {
    const list = names('weak', 2)
    at.sim.fault(list[0]!, { kind: 'no-checksum', times: 1 })
    const runner = await open()
    runner.add(list)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    const rows = (await readFile(join(at.dir, 'report.csv'), 'utf8')).trim().split('\r\n')
    expect(rows.find((r) => r.startsWith(list[0]!))).toMatch(/,length only$/)
    expect(rows.find((r) => r.startsWith(list[1]!))).toMatch(/,crc64$/)
    // A resume reads it back from the journal.
    const again = await open()
    expect(again.table.files.get(list[0]!)?.verifiedBy).toBe('length')
    await again.close()
  })

  it('records a missing recording as a failure and goes on', async () => {
    const list = names('missing', 5)
    at.sim.remove(list[2]!)
    const runner = await open()
    runner.add(list)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    const p = runner.progress()
    expect(p.counts).toMatchObject({ done: 4, failed: 1 })
    expect(p.failures).toEqual([expect.objectContaining({ code: 'NotExist.Record', count: 1 })])
  })

  it.each([
    ['a wrong instance', () => ({ instanceId: 'wrong-instance' }), 'NotExist.Instance'],
    ['OSS not enabled', () => (at.sim.set({ ossOpen: false }), {}), 'OssNotOpen'],
  ])('stops the export once on %s', async (_label, setup, code) => {
    const overrides = setup()
    try {
      const list = names('fatal', 30)
      const runner = await open(overrides)
      runner.add(list)
      expect(await runner.run()).toBe('stopped')
      await runner.close()
      const p = runner.progress()
      expect(p.reason?.code).toBe(code)
      expect(p.counts.failed).toBe(0)
      // The export stops after the first such reply, not after trying every file.
      expect(at.sim.stats.apiCalls).toBeLessThanOrEqual(4)
    } finally {
      at.sim.set({ ossOpen: true })
    }
  })

  // Windows cannot remove a file or folder this process holds open (it stays "delete pending"):
  // these two are POSIX cases.
  it.skipIf(process.platform === 'win32')('downloads a file again when another program removed its .part mid-download, and the export goes on', async () => {
    const [taken, other] = names('vanish', 2) as [string, string]
    at.sim.setSize(taken, 256 * 1024)
    at.sim.setSize(other, 1000)
    at.sim.fault(taken, { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
    const runner = await open()
    runner.add([taken, other])
    // An antivirus quarantining the .part while its bytes still arrive: the rename finds nothing.
    const removed = progressWhen(runner, (p) => p.bytes > 1000 + 16 * 1024).then(() => rm(join(at.dir, `${taken}.part`)))
    expect(await runner.run()).toBe('finished')
    await removed
    await runner.close()
    await expectOnDisk([taken, other])
    expect(at.sim.stats.wholeBodies.get(taken)).toBe(2)
    expect(runner.table.files.get(taken)?.state).toBe('done')
  })

  it.skipIf(process.platform === 'win32')('stops, not retries, when the whole output folder is removed mid-download: nothing would be remembered', async () => {
    const out = join(at.dir, 'removed-out')
    const [taken] = names('gone-folder', 1) as [string]
    at.sim.setSize(taken, 256 * 1024)
    at.sim.fault(taken, { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
    const runner = await ExportRunner.open(out, { client: client(), backoff: fastBackoff, progressIntervalMs: 20 }, init())
    runner.add([taken])
    const removed = progressWhen(runner, (p) => p.bytes > 16 * 1024).then(() => rm(out, { recursive: true }))
    expect(await runner.run()).toBe('stopped')
    await removed
    await runner.close()
    expect(runner.progress().reason).toMatchObject({ code: 'Local.WriteFailed', message: `${out}: the output folder, or its .ccc-recordings, was removed while the export ran` })
    expect(at.sim.stats.wholeBodies.get(taken)).toBe(1)
  })

  it('never hands a contact\'s or call\'s row to the downloader, even one a torn journal left queued', async () => {
    const list = names('rows', 2)
    const first = await open()
    first.add(list)
    await first.close()
    // An `add` whose `skip` or `fail` line a crash cut off (or an older build's retry of a failed lookup).
    await appendFile(journalPath(at.dir), `${JSON.stringify({ type: 'add', names: ['contact/job-9', 'call/job-8'] })}\n`)
    at.sim.resetStats()
    const runner = await open()
    await runner.run()
    await runner.close()
    await expectOnDisk(list)
    expect(at.sim.stats.apiCalls).toBe(2)
    // Settled, so the export can finish (a queued row left for ever would read as paused for ever).
    expect(runner.table.files.get('contact/job-9')).toMatchObject({ state: 'skipped', error: { message: expect.stringContaining('a lookup a crash left unsettled') } })
    expect(runner.progress().state).toBe('finished')
    expect(await readExportStatus(at.dir)).toMatchObject({ state: 'finished' })
  })

  it('pauses mid-file keeping the .part, and resumes it with Range', async () => {
    const name = 'pause-me.wav'
    at.sim.setSize(name, 256 * 1024)
    at.sim.fault(name, { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
    const runner = await open()
    runner.add([name])
    const paused = progressWhen(runner, (p) => p.bytes > 16 * 1024).then(() => runner.pause())
    const first = runner.run()
    await paused
    expect(await first).toBe('paused')
    expect(runner.progress().counts.paused).toBe(1)
    expect((await readdir(at.dir)).some((f) => f.endsWith('.part'))).toBe(true)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk([name])
    expect(at.sim.stats.rangeGets.get(name)).toBe(1)
    expect(at.sim.stats.partialReplies.get(name)).toBe(1)
  })

  it('running the same list again downloads nothing new', async () => {
    const list = names('again', 6)
    const first = await open()
    first.add(list)
    await first.run()
    await first.close()
    at.sim.resetStats()
    const second = await open()
    expect(second.add(list)).toBe(0)
    expect(await second.run()).toBe('finished')
    await second.close()
    expect(at.sim.stats.apiCalls).toBe(0)
    expect(at.sim.stats.ossGets.size).toBe(0)
  })

  it('proves a file already in the folder identical instead of downloading it again, and leaves a different one alone', async () => {
    const [same, other, empty] = names('adopt', 3) as [string, string, string]
    at.sim.setSize(empty, 0)
    await writeFile(join(at.dir, same), at.sim.content(same))
    await writeFile(join(at.dir, empty), '')
    // Someone's own file under a recording's name (a folder that held files before): never replaced.
    await writeFile(join(at.dir, other), 'my own notes')
    const runner = await open()
    runner.add([same, other, empty])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk([same, empty])
    expect(at.sim.stats.wholeBodies.get(same) ?? 0).toBe(0)
    // An empty recording's copy is proven by the probe's own 200 (no range in an empty object).
    expect(runner.table.files.get(empty)?.state).toBe('done')
    expect(await readFile(join(at.dir, other), 'utf8')).toBe('my own notes')
    expect(runner.table.files.get(other)).toMatchObject({ state: 'failed', error: { code: 'Local.FileInTheWay' } })
    expect(at.sim.stats.wholeBodies.get(other) ?? 0).toBe(0)
  })

  it('downloads over a copy the probe cannot judge (no CRC-64 came), as a crash before its done line leaves one', async () => {
    const [mine] = names('unjudged', 1) as [string]
    await writeFile(join(at.dir, mine), at.sim.content(mine))
    // A proxy that strips OSS's CRC-64: the probe cannot tell, so the download settles it.
    at.sim.fault(mine, { kind: 'no-checksum' })
    const runner = await open()
    runner.add([mine])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk([mine])
    expect(runner.table.files.get(mine)?.state).toBe('done')
  })

  it('retries a file whose check of the copy already in the folder lost its connection', async () => {
    const [same] = names('adopt-drop', 1) as [string]
    await writeFile(join(at.dir, same), at.sim.content(same))
    // The one-byte GET that proves the copy identical is reset before any reply.
    at.sim.fault(same, { kind: 'drop' })
    const runner = await open()
    runner.add([same])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    await expectOnDisk([same])
    expect(runner.table.files.get(same)).toMatchObject({ state: 'done', attempts: 2 })
  })

  it('refuses a folder that holds another instance’s verified files', async () => {
    const first = await open()
    first.add(names('bound', 1))
    expect(await first.run()).toBe('finished')
    await first.close()
    await expect(open({ instanceId: 'another' })).rejects.toThrow(/already holds an export for instance/)
  })

  it('retries a failed group on request', async () => {
    const list = names('group', 3)
    at.sim.remove(list[0]!)
    const runner = await open()
    runner.add(list)
    await runner.run()
    expect(runner.progress().counts.failed).toBe(1)
    at.sim.replace(list[0]!)
    expect(runner.retryGroup('NotExist.Record')).toBe(1)
    // Work to resume, as its journal reads to `status`: paused, so Resume all takes it too.
    expect(runner.state).toBe('paused')
    expect(runner.progress().state).toBe('paused')
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 3, failed: 0 })
  })

  it('downloads in the same run the failed files retried while it goes on', async () => {
    const list = names('retry-mid', 4)
    const [gone, slow] = [list[0]!, list[3]!]
    at.sim.remove(gone)
    // The last file is slow, so the run is still going when the first has failed.
    at.sim.setSize(slow, 256 * 1024)
    at.sim.fault(slow, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
    const runner = await open({ options: { concurrency: 1, layout: 'flat', maxBytesPerSecond: null } })
    runner.add(list)
    const retried = progressWhen(runner, (p) => p.counts.failed === 1 && p.bytes > 8 * 1024 + 2 * 64 * 1024).then(() => {
      at.sim.replace(gone)
      return runner.retryGroup()
    })
    const run = runner.run()
    expect(await retried).toBe(1)
    expect(await run).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 4, failed: 0, queued: 0 })
    await expectOnDisk(list)
  })

  it('retries on resume what failed for a passing reason, not what the service refused for good', async () => {
    const list = names('transient', 3)
    at.sim.remove(list[0]!)
    at.sim.fault(list[1]!, { kind: 'api-unavailable', times: 6 })
    const runner = await open()
    runner.add(list)
    await runner.run()
    expect(runner.progress().failures.map((f) => f.code).sort()).toEqual(['NotExist.Record', 'ServiceUnavailable'])
    expect(runner.retryTransient()).toBe(1)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 2, failed: 1 })
    expect(runner.progress().failures).toEqual([expect.objectContaining({ code: 'NotExist.Record' })])
  })

  it('cancel keeps complete files and removes partial ones', async () => {
    const list = names('cancel', 3)
    for (const n of list) {
      at.sim.setSize(n, 256 * 1024)
      at.sim.fault(n, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
    }
    const runner = await open()
    runner.add(list)
    const started = progressWhen(runner, (p) => p.bytes > 8 * 1024)
    const run = runner.run()
    await started
    expect(await runner.cancel()).toBe('cancelled')
    await run
    await runner.close()
    expect((await readdir(at.dir)).filter((f) => f.includes('.part'))).toEqual([])
  })

  it('cancelled while a file downloads, reports a file that had failed as failed, in memory and on reopen', async () => {
    const [gone, slow] = names('cancel-failed', 2) as [string, string]
    at.sim.remove(gone)
    at.sim.setSize(slow, 256 * 1024)
    at.sim.fault(slow, { kind: 'slow', bytesPerSecond: 64 * 1024, times: 1 })
    const runner = await open()
    runner.add([gone, slow])
    // Cancel once the missing file has failed and the other is under way.
    const both = progressWhen(runner, (p) => p.counts.failed === 1 && p.bytes > 8 * 1024)
    const run = runner.run()
    await both
    expect(await runner.cancel()).toBe('cancelled')
    await run
    expect(runner.progress().counts).toMatchObject({ failed: 1, queued: 1 })
    expect(runner.progress().failures.map((f) => f.code)).toEqual(['NotExist.Record'])
    await runner.close()
    const report = await readFile(join(at.dir, 'report.csv'), 'utf8')
    expect(report).toContain(`${gone},failed,`)
    expect(report).toContain(`${slow},queued,`)
    const reopened = await open()
    expect(reopened.table.files.get(gone)?.state).toBe('failed')
    await reopened.close()
  })

  it('cancelled while paused, removes the .part files a running cancel would', async () => {
    const name = 'cancel-paused.wav'
    at.sim.setSize(name, 256 * 1024)
    at.sim.fault(name, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
    const runner = await open()
    runner.add([name])
    const paused = progressWhen(runner, (p) => p.bytes > 8 * 1024).then(() => runner.pause())
    const run = runner.run()
    await paused
    expect(await run).toBe('paused')
    expect((await readdir(at.dir)).some((f) => f.endsWith('.part'))).toBe(true)
    expect(await runner.cancel()).toBe('cancelled')
    await runner.close()
    expect((await readdir(at.dir)).filter((f) => f.includes('.part'))).toEqual([])
    expect(runner.progress().counts).toMatchObject({ queued: 1, paused: 0 })
  })

  it('cancelled after a restart, removes the .part files an earlier process left', async () => {
    const name = 'cancel-reopened.wav'
    at.sim.setSize(name, 256 * 1024)
    at.sim.fault(name, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
    const first = await open()
    first.add([name])
    const paused = progressWhen(first, (p) => p.bytes > 8 * 1024).then(() => first.pause())
    const run = first.run()
    await paused
    await run
    await first.close()
    expect((await readdir(at.dir)).some((f) => f.endsWith('.part'))).toBe(true)
    // Someone else's partial downloads in the same folder (a browser's, in Downloads) are theirs.
    await writeFile(join(at.dir, 'movie.mp4.part'), 'a browser was here')
    await mkdir(join(at.dir, 'old'))
    await writeFile(join(at.dir, 'old', 'thesis.docx.part'), 'mine')
    await writeFile(join(at.dir, 'old', 'thesis.docx.part.etag'), 'mine too')
    // The next session opens it from its journal, which knows nothing of the .part.
    const reopened = await open()
    expect(await reopened.cancel()).toBe('cancelled')
    await reopened.close()
    expect((await readdir(at.dir)).filter((f) => f.includes('.part'))).toEqual(['movie.mp4.part'])
    expect((await readdir(join(at.dir, 'old'))).sort()).toEqual(['thesis.docx.part', 'thesis.docx.part.etag'])
  })
})
