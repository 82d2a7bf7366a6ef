import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Settings, SettingsSchema } from '../common/api.ts'
import { writeFileAtomic } from '../engine/atomic-file.ts'

export const DEFAULT_SETTINGS: Settings = { language: 'system', concurrency: 6, maxBytesPerSecond: null }

/**
 * Read-change-write of one file, one at a time: two at once (three exports started together, two
 * settings saved together) would each write what it read, and the first change would be lost.
 */
class Turns {
  private tail: Promise<unknown> = Promise.resolve()

  take<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => undefined)
    return run
  }
}

/** The app's preferences (no secrets), beside profiles.json; a damaged file falls back to defaults. */
export class SettingsStore {
  private readonly file: string

  constructor(dir: string) {
    this.file = join(dir, 'settings.json')
  }

  async get(): Promise<Settings> {
    try {
      const parsed = SettingsSchema.partial().safeParse(JSON.parse(await readFile(this.file, 'utf8')))
      return parsed.success ? { ...DEFAULT_SETTINGS, ...parsed.data } : DEFAULT_SETTINGS
    } catch {
      return DEFAULT_SETTINGS
    }
  }

  private readonly turns = new Turns()

  set(patch: Partial<Settings>): Promise<Settings> {
    return this.turns.take(async () => {
      const next = { ...(await this.get()), ...patch }
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`)
      return next
    })
  }
}

/** Output folders the app has exported to, newest first: the history screen reads their journals. */
export class HistoryStore {
  private readonly file: string

  constructor(dir: string) {
    this.file = join(dir, 'history.json')
  }

  async list(): Promise<string[]> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as unknown
      return Array.isArray(data) ? data.filter((d): d is string => typeof d === 'string') : []
    } catch {
      return []
    }
  }

  private readonly turns = new Turns()

  remember(outDir: string): Promise<void> {
    return this.turns.take(async () => {
      const list = [outDir, ...(await this.list()).filter((d) => d !== outDir)].slice(0, 200)
      await writeFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`)
    })
  }

  forget(outDir: string): Promise<void> {
    return this.turns.take(async () => {
      const list = (await this.list()).filter((d) => d !== outDir)
      await writeFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`)
    })
  }
}

/** Exports paused because the app quit: resumed on the next start, then forgotten. */
export class ResumeList {
  private readonly file: string

  constructor(dir: string) {
    this.file = join(dir, 'resume-on-start.json')
  }

  async take(): Promise<string[]> {
    let list: string[] = []
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as unknown
      if (Array.isArray(data)) list = data.filter((d): d is string => typeof d === 'string')
    } catch {
      return []
    }
    await writeFileAtomic(this.file, '[]\n')
    return list
  }

  async save(outDirs: readonly string[]): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(outDirs)}\n`)
  }
}

/** The nightly syncs' results already announced (sync-notices.ts), by folder: not announced twice across launches. */
export class AnnouncedStore {
  private readonly file: string

  constructor(dir: string) {
    this.file = join(dir, 'sync-announced.json')
  }

  async get(): Promise<Record<string, string>> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as unknown
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return {}
      return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'))
    } catch {
      return {}
    }
  }

  async set(announced: Readonly<Record<string, string>>): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(announced, null, 2)}\n`)
  }
}
