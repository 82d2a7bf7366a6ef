import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir, uptime } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FolderLock, folderInUse, LOCK_FILE } from '../../../main/engine/export/folder-lock.ts'
import { STATE_DIR } from '../../../main/engine/export/journal.ts'

let dir: string
let parent: ChildProcess | undefined
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-zombie-'))
})
afterEach(async () => {
  // The parent that never reaps: ending it lets init reap the zombie.
  if (parent?.pid !== undefined && parent.exitCode === null) {
    parent.kill('SIGKILL')
    await once(parent, 'exit')
  }
  await rm(dir, { recursive: true, force: true })
})

async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat.charAt(stat.lastIndexOf(')') + 2)
}

async function command(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim()
}

/**
 * A killed process whose parent does not reap it: `sh` starts a child, then becomes `sleep`,
 * which never calls wait(). Polls /proc until the kernel shows the child as a zombie.
 */
async function zombiePid(): Promise<number> {
  parent = spawn('sh', ['-c', 'sleep 1000 & echo $!; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer]
  const pid = Number(chunk.toString().trim())
  // Killed before the shell has become `sleep`, the child could be reaped by the shell itself.
  for (let i = 0; i < 500 && (await command(parent.pid!)) !== 'sleep'; i++) await delay(10)
  expect(await command(parent.pid!)).toBe('sleep')
  process.kill(pid, 'SIGKILL')
  for (let i = 0; i < 500 && (await processState(pid)) !== 'Z'; i++) await delay(10)
  expect(await processState(pid)).toBe('Z')
  return pid
}

describe.skipIf(process.platform !== 'linux')('the export folder lock on Linux', () => {
  it('takes over a lock whose holder is a zombie (killed, not yet reaped)', async () => {
    const pid = await zombiePid()
    // The zombie still answers a signal 0: this is what fooled the lock.
    expect(() => process.kill(pid, 0)).not.toThrow()
    await mkdir(join(dir, STATE_DIR), { recursive: true })
    const boot = Math.round(Date.now() - uptime() * 1000)
    await writeFile(join(dir, STATE_DIR, LOCK_FILE), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', boot }))
    expect(await folderInUse(dir)).toBe(false)
    const lock = await FolderLock.acquire(dir)
    expect(JSON.parse(await readFile(join(dir, STATE_DIR, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    await lock.release()
  })

  it('still refuses a lock whose holder is alive', async () => {
    parent = spawn('sleep', ['1000'], { stdio: 'ignore' })
    await once(parent, 'spawn')
    await mkdir(join(dir, STATE_DIR), { recursive: true })
    const boot = Math.round(Date.now() - uptime() * 1000)
    await writeFile(join(dir, STATE_DIR, LOCK_FILE), JSON.stringify({ pid: parent.pid, host: hostname(), since: '2026-01-01T00:00:00Z', boot }))
    expect(await folderInUse(dir)).toBe(true)
  })
})
