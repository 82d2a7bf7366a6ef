import { describe, expect, it } from 'vitest'
import { compactedJournal } from '../../../main/engine/export/compacted-journal.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { fileRows } from '../../../main/engine/export/file-rows.ts'
import type { JournalEvent } from '../../../main/engine/export/journal-events.ts'
import { isValidEvent } from '../../../main/engine/export/journal-schema.ts'

// A call's placeholder row (`call/<id>`, its recording not ready yet) dropped once its recording
// is listed (the `drop` line), as the table replays it; and the contacts cursor's `again`.

const header: JournalEvent = {
  type: 'export',
  version: 1,
  id: 'x',
  createdAt: '2026-12-04T00:00:00Z',
  instanceId: 'i',
  source: { kind: 'range', from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z', api: '2020-07-01' },
  options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null },
}

function tableOf(events: readonly JournalEvent[]): ExportTable {
  const t = new ExportTable()
  for (const e of [header, ...events]) t.apply(e)
  return t
}

const notReady: JournalEvent[] = [
  { type: 'add', names: ['job-1.wav', 'call/job-2'] },
  { type: 'skip', name: 'call/job-2', reason: 'call job-2: the recording is not ready yet; run the same range again later to fetch it' },
  { type: 'add', names: ['job-2.wav'] },
  { type: 'drop', names: ['call/job-2'] },
]

describe('a dropped row', () => {
  it('leaves the counts, the lookups and the rows a report or compaction reads; the feed still walks every index', () => {
    const t = tableOf(notReady)
    expect(t.counts).toMatchObject({ total: 2, queued: 2, skipped: 0 })
    expect(t.files.get('call/job-2')).toBeUndefined()
    expect(t.files.has('call/job-2')).toBe(false)
    expect([...t.files].map(([name]) => name)).toEqual(['job-1.wav', 'job-2.wav'])
    // feed.ts and export-names.ts count `entries()` against `size`: both keep the row, as skipped.
    expect([...t.files.entries()].map(([name, e]) => `${name}:${e.state}`)).toEqual(['job-1.wav:queued', 'call/job-2:skipped', 'job-2.wav:queued'])
    expect(t.files.size).toBe(3)

    const compacted = [...compactedJournal(t)]
    expect(JSON.stringify(compacted)).not.toContain('call/job-2')
    expect(tableOf(compacted.slice(1)).counts).toEqual(t.counts)
  })

  it('is not in the app’s file list, paged or filtered', () => {
    const t = tableOf(notReady)
    expect(fileRows(t, 0, 10)).toEqual({ total: 2, rows: [expect.objectContaining({ name: 'job-1.wav' }), expect.objectContaining({ name: 'job-2.wav' })] })
    expect(fileRows(t, 1, 10).rows.map((r) => r.name)).toEqual(['job-2.wav'])
    expect(fileRows(t, 0, 10, 'skipped')).toEqual({ total: 0, rows: [] })
  })

  it('is a row again when added again, and a second drop changes nothing', () => {
    const t = tableOf([...notReady, { type: 'drop', names: ['call/job-2'] }])
    expect(t.counts).toMatchObject({ total: 2, skipped: 0 })
    t.apply({ type: 'add', names: ['call/job-2'] })
    t.apply({ type: 'skip', name: 'call/job-2', reason: 'call job-2 has no recording' })
    expect(t.counts).toMatchObject({ total: 3, queued: 2, skipped: 1 })
    expect(t.files.get('call/job-2')).toMatchObject({ state: 'skipped', error: { code: 'Skipped', message: 'call job-2 has no recording' } })
  })

  it('only goes when it is a skipped row: a file to download is never dropped', () => {
    const t = tableOf([{ type: 'add', names: ['job-1.wav'] }, { type: 'drop', names: ['job-1.wav', 'never-added'] }])
    expect(t.counts).toMatchObject({ total: 1, queued: 1 })
    expect(t.files.get('job-1.wav')?.state).toBe('queued')
  })

  it('journal lines: drop, and a contacts cursor with `again`, are checked like the rest', () => {
    expect(isValidEvent({ type: 'drop', names: ['call/a'] })).toBe(true)
    expect(isValidEvent({ type: 'drop', names: 'call/a' })).toBe(false)
    expect(isValidEvent({ type: 'listed', next: { contact: 1, again: 3 }, pages: 1, found: 0, unrecorded: 0 })).toBe(true)
    expect(isValidEvent({ type: 'listed', next: { contact: 1, again: -1 }, pages: 1, found: 0, unrecorded: 0 })).toBe(false)
  })
})
