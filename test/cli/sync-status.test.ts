import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localStamp } from '../../main/common/format.ts'
import { readSyncStatus, syncLines } from '../../main/cli/sync-status.ts'
import { type SyncSettings, syncLastPath, writeSyncSettings } from '../../main/engine/sync/sync-settings.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-status-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const DAY = 24 * 60 * 60 * 1000
const NOW = Date.UTC(2024, 4, 10)
const iso = (ms: number) => new Date(ms).toISOString()
const base: SyncSettings = { version: 1, connection: { instanceId: 'i' }, filters: {}, options: {}, since: iso(NOW - 6 * DAY), mark: null, overlapMs: 2 * 3600_000, marginMs: 900_000, retentionDays: 7 }

describe('sync status', () => {
  it('warns when the next window starts within 2 days of the retention the user stated', async () => {
    await writeSyncSettings(dir, base)
    const s = (await readSyncStatus(dir, NOW))!
    expect(s.retentionWarning).toEqual({ retentionDays: 7, daysLeft: 1 })
    expect(syncLines(s).join('\n')).toMatch(/WARNING: the oldest calls the next sync lists are 1 day from CCC's 7-day retention/)
  })

  it('is quiet when the mark is recent, and shows the next window', async () => {
    await writeSyncSettings(dir, { ...base, mark: iso(NOW - DAY) })
    const s = (await readSyncStatus(dir, NOW))!
    expect(s.retentionWarning).toBeUndefined()
    expect(s.next).toEqual({ from: iso(NOW - DAY - 2 * 3600_000), to: iso(NOW - 900_000) })
    expect(syncLines(s)[0]).toBe(`Sync: since ${localStamp(base.since)}; complete up to ${localStamp(iso(NOW - DAY))}`)
  })

  it('is nothing for a folder without sync settings', async () => {
    expect(await readSyncStatus(dir, NOW)).toBeUndefined()
  })

  it('takes a damaged sync-last.json as no last run, so status still shows the sync', async () => {
    await writeSyncSettings(dir, { ...base, mark: iso(NOW - DAY) })
    for (const text of ['{}', '{"at":"2024-05-09T00:00:00Z","window":{},"counts":null}', 'not json']) {
      await writeFile(syncLastPath(dir), text)
      const s = (await readSyncStatus(dir, NOW))!
      expect(s.last, text).toBeUndefined()
      expect(syncLines(s)).toHaveLength(2)
    }
  })
})
