import { syncFolder } from '../sync-folder.ts'

/**
 * The folders that finished files were renamed into since the journal last wrote, synced together
 * just before the journal records those files done: a folder sync per journal write (a few a
 * second) instead of one per file, which on 2,000 files of 300 KB was 0.4 s of CPU and as much
 * wall time (docs/performance.md).
 */
export class PendingFolders {
  private dirs = new Set<string>()

  constructor(private readonly sync: (dir: string) => Promise<void> = syncFolder) {}

  add(dir: string): void {
    this.dirs.add(dir)
  }

  async syncAll(): Promise<void> {
    if (this.dirs.size === 0) return
    const dirs = [...this.dirs]
    this.dirs = new Set()
    await Promise.all(dirs.map((dir) => this.sync(dir)))
  }
}
