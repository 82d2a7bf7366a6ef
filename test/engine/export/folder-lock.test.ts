import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { hostname, tmpdir, uptime } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportInUseError, FolderLock, LOCK_FILE } from '../../../main/engine/export/folder-lock.ts'
import { STATE_DIR } from '../../../main/engine/export/journal.ts'
import { rejectionOf } from '../../rejection.ts'

let dir: string
let lockPath: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'))
  lockPath = join(dir, STATE_DIR, LOCK_FILE)
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const boot = (): number => Math.round(Date.now() - uptime() * 1000)

/** A lock as another process would have left it. */
async function leaveLock(holder: Record<string, unknown> | string): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await writeFile(lockPath, typeof holder === 'string' ? holder : JSON.stringify(holder))
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', 'console.log(process.pid)'])
  return Number(stdout.trim())
}

const refusal = (p: Promise<unknown>): Promise<ExportInUseError> => rejectionOf(p, ExportInUseError)

describe('the export folder lock', () => {
  it('lets one holder in at a time, and the next in once it lets go', async () => {
    const first = await FolderLock.acquire(dir)
    const e = await refusal(FolderLock.acquire(dir))
    expect(e.code).toBe('Export.InUse')
    expect(e.message).toContain(`process ${process.pid} on ${hostname()}`)
    expect(e.message).toContain(lockPath)
    await first.release()
    const second = await FolderLock.acquire(dir)
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() })
    await second.release()
  })

  it('takes over a lock whose process is gone', async () => {
    await leaveLock({ pid: await deadPid(), host: hostname(), since: '2026-01-01T00:00:00Z', boot: boot() })
    const lock = await FolderLock.acquire(dir)
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid)
    await lock.release()
  })

  it('lets only one of two that find the same dead lock take it over', async () => {
    const pid = await deadPid()
    // The interleaving that let both in (each unlinking, the slower one the faster's new lock)
    // came about a few times in fifty; a hundred tries on fresh locks.
    for (let trial = 0; trial < 100; trial++) {
      await leaveLock({ pid, host: hostname(), since: `trial ${trial}`, boot: boot() })
      const [a, b] = await Promise.allSettled([FolderLock.acquire(dir), FolderLock.acquire(dir)])
      const won = [a, b].filter((r) => r.status === 'fulfilled')
      expect(won, `trial ${trial}`).toHaveLength(1)
      expect([a, b].find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(ExportInUseError)
      await won[0]!.value.release()
    }
  })

  it('clears a takeover guard a crash left long ago, and waits while a fresh one is in use', async () => {
    await leaveLock({ pid: await deadPid(), host: hostname(), since: 'x', boot: boot() })
    const guard = `${lockPath}.takeover`
    await writeFile(guard, '')
    await refusal(FolderLock.acquire(dir))
    const old = new Date(Date.now() - 60_000)
    await utimes(guard, old, old)
    const lock = await FolderLock.acquire(dir)
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid })
    await lock.release()
  })

  it('takes over a lock from before the computer last started, whatever its pid now is', async () => {
    // pid 1 is alive on every system; the boot time says the lock is not its.
    await leaveLock({ pid: 1, host: hostname(), since: '2026-01-01T00:00:00Z', boot: boot() - 86_400_000 })
    await (await FolderLock.acquire(dir)).release()
  })

  it('takes over a lock with our own pid that this process does not hold (a pid used again)', async () => {
    await leaveLock({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00Z', boot: boot() })
    await (await FolderLock.acquire(dir)).release()
  })

  it('refuses a lock held by a live process, or by another computer', async () => {
    await leaveLock({ pid: 1, host: hostname(), since: '2026-01-01T00:00:00Z', boot: boot() })
    expect((await refusal(FolderLock.acquire(dir))).message).toContain('process 1 on')
    await leaveLock({ pid: await deadPid(), host: 'call-centre-pc-7', since: '2026-01-01T00:00:00Z', boot: boot() })
    expect((await refusal(FolderLock.acquire(dir))).message).toContain('on call-centre-pc-7')
  })

  it('waits out a lock too new to read, and takes over an old unreadable one', async () => {
    await leaveLock('')
    await refusal(FolderLock.acquire(dir))
    const old = new Date(Date.now() - 60_000)
    await utimes(lockPath, old, old)
    await (await FolderLock.acquire(dir)).release()
  })
})
