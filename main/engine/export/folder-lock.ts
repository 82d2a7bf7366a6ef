import { open, readFile, stat, unlink } from 'node:fs/promises'
import { hostname, uptime } from 'node:os'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import { makeFolders } from '../make-folders.ts'
import { STATE_DIR } from './journal.ts'

export const LOCK_FILE = 'lock'

/** A lock file too new to judge: its owner may be writing it right now. */
const UNREADABLE_GRACE_MS = 10_000

/** Another process (here or on another computer) has this folder's export open. */
export class ExportInUseError extends CccError {
  declare readonly code: 'Export.InUse'

  constructor(message: string) {
    super({ code: 'Export.InUse', message })
    this.name = 'ExportInUseError'
  }
}

interface Holder {
  readonly pid: number
  readonly host: string
  readonly since: string
  /** When the computer started, so a lock from before a reboot is known to be dead. */
  readonly boot: number
}

/** Locks this process holds: a second runner here on one folder is refused, a lock from an earlier process with our pid is not. */
const held = new Set<string>()

// Within a minute: uptime and the clock are read a moment apart, and the clock may be adjusted.
const BOOT_SLACK_MS = 60_000

const bootTime = (): number => Date.now() - uptime() * 1000

/**
 * One process at a time per export folder: two would append to one journal and write the same
 * `.part` files. The lock is `.ccc-recordings/lock`, created exclusively, naming the process and
 * computer that hold it. A lock left by a process that died (a crash, a kill, a power cut) is
 * taken over when that process is known to be gone: same computer, and no such process, or one
 * from before the computer last started. One from another computer (a shared folder) cannot be
 * checked, so the message says how to remove it.
 */
export class FolderLock {
  private constructor(private readonly path: string) {}

  static async acquire(outDir: string): Promise<FolderLock> {
    const dir = join(outDir, STATE_DIR)
    // The first folder an export makes: a path on /proc must fail here, not hang.
    await makeFolders(dir)
    const path = join(dir, LOCK_FILE)
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await open(path, 'wx')
        try {
          const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), boot: Math.round(bootTime()) }
          await fh.writeFile(JSON.stringify(holder))
        } finally {
          await fh.close()
        }
        held.add(path)
        return new FolderLock(path)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const seen = await lockFile(path)
      const holder = seen && parseHolder(seen.text)
      // Twice taken over and twice beaten to it: someone else is starting here right now.
      if (attempt >= 2 || !(await isStale(path, holder))) throw inUse(outDir, path, holder)
      if (seen) await removeIfStill(path, seen)
    }
  }

  async release(): Promise<void> {
    if (!held.delete(this.path)) return
    await unlink(this.path).catch(() => {})
  }
}

/** The lock file as read once: its text, and what tells it from a new lock made in its place. */
interface SeenLock {
  readonly text: string
  readonly ino: number
  readonly mtimeMs: number
}

async function lockFile(path: string): Promise<SeenLock | undefined> {
  try {
    const [s, text] = await Promise.all([stat(path), readFile(path, 'utf8')])
    return { text, ino: s.ino, mtimeMs: s.mtimeMs }
  } catch {
    return undefined
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>
    if (Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.since === 'string' && typeof h.boot === 'number') return h as Holder
  } catch {
    // unreadable: judged by its age below
  }
  return undefined
}

async function readHolder(path: string): Promise<Holder | undefined> {
  const seen = await lockFile(path)
  return seen && parseHolder(seen.text)
}

/**
 * Removes the stale lock `seen`, and only it. Two processes that both judge one dead lock stale
 * (the app and a scheduled sync resuming a folder after a crash) must not both take over: the
 * slower would delete the lock the faster had just made. So the check and the unlink happen
 * under a second file, created exclusively, and the lock goes only if it is still the one seen.
 */
async function removeIfStill(path: string, seen: SeenLock): Promise<void> {
  const guard = `${path}.takeover`
  let fh
  try {
    fh = await open(guard, 'wx')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    // Another process is taking over right now; or died doing so, long ago, and its guard goes.
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    )
    if (age > UNREADABLE_GRACE_MS) await unlink(guard).catch(() => {})
    return
  }
  try {
    const now = await lockFile(path)
    if (now && now.text === seen.text && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs) {
      await unlink(path).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      })
    }
  } finally {
    await fh.close()
    await unlink(guard).catch(() => {})
  }
}

async function isStale(path: string, holder: Holder | undefined): Promise<boolean> {
  if (!holder) {
    // Half-written by a process that died at that moment, or being written now.
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => Infinity,
    )
    return age > UNREADABLE_GRACE_MS
  }
  if (holder.host !== hostname()) return false
  if (Math.abs(holder.boot - bootTime()) > BOOT_SLACK_MS) return true
  // Our own pid: held by this process, or left by an earlier one that had the same pid.
  if (holder.pid === process.pid) return !held.has(path)
  try {
    process.kill(holder.pid, 0)
  } catch (e) {
    // EPERM: the process exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
  return isZombie(holder.pid)
}

/**
 * A process that was killed but not yet reaped by its parent still answers `kill(pid, 0)`; on
 * Linux `/proc/<pid>/stat` says it is a zombie (Z) or dead (X). Elsewhere there is no cheap
 * way to ask, and an answering pid is taken for a live one.
 */
async function isZombie(pid: number): Promise<boolean> {
  if (process.platform !== 'linux') return false
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last `)`.
    const state = stat.charAt(stat.lastIndexOf(')') + 2)
    return state === 'Z' || state === 'X'
  } catch {
    return false
  }
}

function inUse(outDir: string, path: string, holder: Holder | undefined): ExportInUseError {
  const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process'
  return new ExportInUseError(
    `${outDir}: this export is open in ${who}. Close it there, or choose another folder; if nothing is using it, delete ${path}`,
  )
}

/**
 * Whether a live process (this one included) has the folder's export open: read-only, so
 * `status` can tell an export that is running elsewhere from one whose process is gone.
 */
export async function folderInUse(outDir: string): Promise<boolean> {
  const path = join(outDir, STATE_DIR, LOCK_FILE)
  const exists = await stat(path).then(
    () => true,
    () => false,
  )
  return exists && !(await isStale(path, await readHolder(path)))
}
