import { describe, expect, it } from 'vitest'
import { ExportTable, type FileEntry } from '../../../main/engine/export/export-table.ts'
import type { JournalEvent } from '../../../main/engine/export/journal-events.ts'
import { compactedJournal } from '../../../main/engine/export/compacted-journal.ts'
import { FILTERED } from '../../../main/engine/calls/filters.ts'

const header: JournalEvent = { type: 'export', version: 1, id: 'x', createdAt: '2026-12-04T00:00:00Z', instanceId: 'i', source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } }

function tableOf(events: JournalEvent[]): ExportTable {
  const t = new ExportTable()
  for (const e of [header, ...events]) t.apply(e)
  return t
}

/** An entry's fields as plain data (entries are views onto the table's columns). */
const snapshot = (e: FileEntry) => ({ state: e.state, bytes: e.bytes, attempts: e.attempts, startTime: e.startTime, crc64: e.crc64, path: e.path, error: e.error, verifiedBy: e.verifiedBy })

const fail = (name: string, code: string): JournalEvent => ({ type: 'fail', name, code, message: `${code} for ${name}`, attempts: 2 })

describe('export table', () => {
  it('remembers which files it wrote, through a recheck and a compacted journal', () => {
    const t = tableOf([
      { type: 'add', names: ['w.wav', 'n.wav'] },
      { type: 'done', name: 'w.wav', bytes: 3, path: 'w.wav', crc64: '1' },
      { type: 'recheck', names: ['w.wav'], reason: 'changed' },
    ])
    expect(t.files.get('w.wav')).toMatchObject({ state: 'queued', wrote: true })
    expect(t.files.get('n.wav')?.wrote).toBe(false)
    const again = new ExportTable()
    for (const e of compactedJournal(t)) again.apply(e)
    expect(again.files.get('w.wav')).toMatchObject({ state: 'queued', wrote: true })
    expect(again.files.get('n.wav')?.wrote).toBe(false)
  })

  it("counts what a listing found from its rows, whatever skips, drops and retries came between", () => {
    const t = tableOf([
      { type: 'add', names: ['r1.wav', 'r2.wav', 'r3.wav', 'call/c1', 'call/c2'] },
      { type: 'skip', name: 'call/c1', reason: 'call c1: recording not ready yet' },
      { type: 'skip', name: 'call/c2', reason: 'call c2 has no recording' },
      { type: 'skip', name: 'r3.wav', reason: `${FILTERED} agent` },
    ])
    expect(t.listed).toEqual({ found: 2, unrecorded: 2, leftOut: 1 })
    // A row noted again with another reason is still one row; a filter's row asked for after all is a recording.
    t.apply({ type: 'skip', name: 'call/c1', reason: 'call c1 has no recording' })
    t.apply({ type: 'retry', names: ['r3.wav'] })
    expect(t.listed).toEqual({ found: 3, unrecorded: 2, leftOut: 0 })
    // A placeholder whose recording was listed goes; a recording left out again is not found.
    t.apply({ type: 'drop', names: ['call/c2'] })
    t.apply({ type: 'skip', name: 'r3.wav', reason: `${FILTERED} agent` })
    expect(t.listed).toEqual({ found: 2, unrecorded: 1, leftOut: 1 })
    t.apply({ type: 'add', names: ['c2.wav'] })
    expect(t.listed).toEqual({ found: 3, unrecorded: 1, leftOut: 1 })
  })

  it('keeps counts, bytes and failure groups in step with every change', () => {
    const t = tableOf([
      { type: 'add', names: ['a', 'b', 'c', 'd', 'a'] },
      { type: 'done', name: 'a', bytes: 10, path: 'a', crc64: '1' },
      fail('b', 'NotExist.Record'),
      fail('c', 'InternalError'),
      { type: 'skip', name: 'd', reason: 'no recording' },
    ])
    expect(t.counts).toMatchObject({ total: 4, done: 1, failed: 2, skipped: 1, queued: 0 })
    expect(t.bytes).toBe(10)
    expect(t.failures()).toEqual([
      { code: 'InternalError', count: 1, sample: 'InternalError for c' },
      { code: 'NotExist.Record', count: 1, sample: 'NotExist.Record for b' },
    ])
    const c = t.files.get('c')!
    t.addPartBytes(c, 5)
    expect(t.bytes).toBe(15)
  })

  it('requeues failures by code, by a test of the code, or all, resetting their attempts', () => {
    const t = tableOf([{ type: 'add', names: ['a', 'b', 'c'] }, fail('a', 'NotExist.Record'), fail('b', 'InternalError'), fail('c', 'Network')])
    expect(t.requeue((code) => code !== 'NotExist.Record')).toEqual(['b', 'c'])
    expect(t.files.get('b')).toMatchObject({ state: 'queued', attempts: 0, error: undefined })
    expect(t.failures().map((f) => f.code)).toEqual(['NotExist.Record'])
    expect(t.requeue('NotExist.Record')).toEqual(['a'])
    expect(t.counts).toMatchObject({ queued: 3, failed: 0 })
  })

  it('replays a retry line as the requeue it was', () => {
    const t = tableOf([{ type: 'add', names: ['a', 'b'] }, fail('a', 'X'), fail('b', 'X'), { type: 'retry', names: ['a'] }])
    expect(t.files.get('a')?.state).toBe('queued')
    expect(t.files.get('b')?.state).toBe('failed')
  })

  it('takes a verified file that is gone back to the queue, to where it was', () => {
    const t = tableOf([
      { type: 'add', names: ['a'], paths: ['x/y/a.wav'] },
      { type: 'done', name: 'a', bytes: 10, path: 'x/y/a.wav', crc64: '1' },
      { type: 'recheck', names: ['a'], reason: 'missing' },
    ])
    expect(t.files.get('a')).toMatchObject({ state: 'queued', bytes: 0, path: 'x/y/a.wav', crc64: undefined })
    expect(t.bytes).toBe(0)
  })

  it('replays a retry of a name a filter left out as queued, and leaves a call without a recording skipped', () => {
    const t = tableOf([
      // A skipped row is added first, as the ledger journals it.
      { type: 'add', names: ['kept', 'other-agent', 'c9'] },
      { type: 'skip', name: 'other-agent', reason: 'left out by the filter agent' },
      { type: 'skip', name: 'c9', reason: 'the call has no recording' },
      { type: 'retry', names: ['other-agent', 'c9'] },
    ])
    expect(t.files.get('other-agent')).toMatchObject({ state: 'queued', error: undefined })
    expect(t.files.get('c9')?.state).toBe('skipped')
  })

  it('compacts to the shortest journal that replays to the same table, planned paths and weak verifications kept', () => {
    const t = tableOf([
      { type: 'add', names: ['a', 'b', 'c', 'd'], startTimes: [1, null, null, null], paths: [null, 'p/b.wav', null, null] },
      { type: 'done', name: 'a', bytes: 10, path: 'a', crc64: '1', by: 'length' },
      { type: 'done', name: 'a', bytes: 10, path: 'a', crc64: '1', by: 'length' },
      fail('c', 'InternalError'),
      { type: 'skip', name: 'd', reason: 'filtered' },
      { type: 'options', options: { concurrency: 9, layout: 'flat', maxBytesPerSecond: null } },
    ])
    const events = [...compactedJournal(t)]
    expect(events.map((e) => e.type)).toEqual(['export', 'add', 'done', 'fail', 'skip'])
    const again = new ExportTable()
    for (const e of events) again.apply(e)
    for (const [name, entry] of t.files) expect(snapshot(again.files.get(name)!), name).toEqual(snapshot(entry))
    expect(again.counts).toEqual(t.counts)
    expect(again.header?.options.concurrency).toBe(9)
    expect(again.files.get('a')?.verifiedBy).toBe('length')
    expect(again.files.get('b')?.path).toBe('p/b.wav')
  })

  it('finds journalled names out of order as well as in order', () => {
    const names = Array.from({ length: 50 }, (_, i) => `n${i}`)
    const shuffled = [...names].reverse()
    const t = tableOf([{ type: 'add', names }, ...shuffled.map((name, i): JournalEvent => ({ type: 'done', name, bytes: i, path: name }))])
    expect(t.counts.done).toBe(50)
    expect(t.files.get('n0')?.bytes).toBe(49)
  })

  it('keeps a CRC-64 of any 64-bit value, and one that is not a number as it came', () => {
    const t = tableOf([
      { type: 'add', names: ['max', 'odd', 'none'] },
      { type: 'done', name: 'max', bytes: 1, path: 'max', crc64: '18446744073709551615' },
      { type: 'done', name: 'odd', bytes: 1, path: 'odd', crc64: 'not-a-crc' },
      { type: 'done', name: 'none', bytes: 1, path: 'none' },
    ])
    expect(t.files.get('max')?.crc64).toBe('18446744073709551615')
    expect(t.files.get('odd')?.crc64).toBe('not-a-crc')
    expect(t.files.get('none')?.crc64).toBeUndefined()
  })

  it('ignores an event type it does not know (a newer build’s journal still opens)', () => {
    const t = tableOf([{ type: 'add', names: ['a'] }, { type: 'from-the-future', name: 'a' } as unknown as JournalEvent])
    expect(t.counts).toMatchObject({ total: 1, queued: 1 })
  })

  it('keeps a path that is the name as the name and any other as given, through changes', () => {
    const t = tableOf([
      { type: 'add', names: ['a.wav', 'b.wav', '录音.wav', 'c.wav'], paths: [null, '2026-10-01/b.wav', null, 'c.wav'] },
      { type: 'done', name: 'a.wav', bytes: 1, path: 'a.wav' },
      { type: 'done', name: '录音.wav', bytes: 2, path: '录音.wav' },
    ])
    const paths = () => ['a.wav', 'b.wav', '录音.wav', 'c.wav'].map((n) => t.files.get(n)!.path)
    expect(paths()).toEqual(['a.wav', '2026-10-01/b.wav', '录音.wav', 'c.wav'])
    t.apply({ type: 'done', name: 'b.wav', bytes: 3, path: 'b.wav' })
    t.apply({ type: 'done', name: 'c.wav', bytes: 4, path: '坐席/c.wav' })
    t.files.get('a.wav')!.path = undefined
    expect(paths()).toEqual([undefined, 'b.wav', '录音.wav', '坐席/c.wav'])
    expect([...compactedJournal(t)].filter((e) => e.type === 'done').map((e) => e.type === 'done' && e.path)).toEqual(['a.wav', 'b.wav', '录音.wav', '坐席/c.wav'])
  })

  it('keeps start times that come only after thousands of files without one', () => {
    const t = new ExportTable()
    t.add(Array.from({ length: 3000 }, (_, i) => `n${i}`))
    t.add(['late', 'later', 'none'], [1_790_000_000_000, 0, null])
    t.add(Array.from({ length: 3000 }, (_, i) => `m${i}`), [1])
    expect(['n0', 'n2999', 'late', 'later', 'none', 'm0', 'm1', 'm2999'].map((n) => t.files.get(n)!.startTime)).toEqual([undefined, undefined, 1_790_000_000_000, 0, undefined, 1, undefined, undefined])
    t.files.get('late')!.startTime = undefined
    expect(t.files.get('late')!.startTime).toBeUndefined()
  })

  it('counts attempts up to 255 and holds them there', () => {
    const t = tableOf([{ type: 'add', names: ['a', 'b'] }, { type: 'done', name: 'a', bytes: 1, path: 'a', attempts: 254 }, { type: 'fail', name: 'b', code: 'InternalError', message: 'm', attempts: 1000 }])
    const a = t.files.get('a')!
    expect([a.attempts, t.files.get('b')!.attempts]).toEqual([254, 255])
    a.attempts++
    a.attempts++
    expect(a.attempts).toBe(255)
  })
})
