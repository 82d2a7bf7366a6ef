import { type FSWatcher, watch } from 'node:fs'
import { join } from 'node:path'
import type { Locale } from '../common/error-catalog.ts'
import { STATE_DIR } from '../engine/export/journal.ts'
import { listSchedules } from '../engine/schedule/schedules.ts'
import { readSyncLast } from '../engine/sync/sync-settings.ts'
import type { AnnouncedStore } from './settings-store.ts'
import { type NightResult, nightNotices, type Notice } from './sync-notices.ts'

/**
 * Reads the scheduled folders' last results and hands the ones not yet announced to `show`: on
 * launch (`check`) and whenever a folder's state or the schedules record changes (`watch`).
 * Node only, so a test drives it with real folders; main.ts passes a `show` that is a Notification.
 */
export class NightWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  private checking: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly configDir: string,
    private readonly store: AnnouncedStore,
    private readonly locale: () => Locale,
    private readonly show: (notice: Notice) => void,
  ) {}

  /** One check at a time: a burst of file events announces a night once. */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.checkNow()).catch(() => undefined)
    return this.checking
  }

  /** Watches the schedules record and each scheduled folder's state folder; checks on each change. */
  async watch(): Promise<void> {
    this.add(this.configDir)
    await this.check()
  }

  /** Stops watching; resolves once a check under way has finished writing. */
  close(): Promise<void> {
    this.closed = true
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
    return this.checking
  }

  private async checkNow(): Promise<void> {
    if (this.closed) return
    // A damaged schedules record is for `schedule list` and History to explain, not for a notification.
    const entries = await listSchedules(this.configDir).catch(() => [])
    const results: NightResult[] = []
    for (const e of entries) {
      if (this.watchers.size > 0) this.add(join(e.dir, STATE_DIR))
      const last = await readSyncLast(e.dir).catch(() => undefined)
      if (last) results.push({ dir: e.dir, ...last })
    }
    const { notices, announced } = nightNotices(results, await this.store.get(), this.locale())
    if (notices.length === 0) return
    await this.store.set(announced)
    for (const n of notices) this.show(n)
  }

  private add(dir: string): void {
    if (this.closed || this.watchers.has(dir)) return
    try {
      // sync-last.json is replaced by a rename: the folder's events see it, a watch on the file would not.
      const w = watch(dir, () => void this.check())
      w.on('error', () => this.watchers.delete(dir))
      this.watchers.set(dir, w)
    } catch {
      // Not there yet (a folder scheduled before its first run): the next check adds it.
    }
  }
}
