import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { journalPath, replayJournal } from '../../../main/engine/export/journal.ts'
import { JournalWriter } from '../../../main/engine/export/journal-writer.ts'
import type { JournalEvent } from '../../../main/engine/export/journal-events.ts'
import { Ledger } from '../../../main/engine/export/ledger.ts'
import { PendingFolders } from '../../../main/engine/export/pending-folders.ts'

let out: string
let ledger: Ledger
let table: ExportTable
let changes: number
let synced: string[]
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'ledger-'))
  table = new ExportTable()
  table.apply({ type: 'export', version: 1, id: 'x', createdAt: '2026-12-04T00:00:00Z', instanceId: 'i', source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
  changes = 0
  synced = []
  const folders = new PendingFolders(async (dir) => void synced.push(dir))
  const journal = await JournalWriter.open(out, { beforeWrite: () => folders.syncAll() })
  ledger = new Ledger(table, journal, folders, { changed: () => void changes++, fileDone: () => undefined })
})
afterEach(() => rm(out, { recursive: true, force: true }))

async function journalled(): Promise<JournalEvent[]> {
  await ledger.flush()
  return (await readFile(journalPath(out), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalEvent)
}

/** What a fresh process would see: the journal replayed into a new table. */
async function replayed(): Promise<ExportTable> {
  await ledger.flush()
  const fresh = new ExportTable()
  await replayJournal(out, (e) => fresh.apply(e))
  return fresh
}

describe('ledger', () => {
  it('changes the table, the journal and the notice together, so a replay sees what the table saw', async () => {
    expect(ledger.add(['a.wav', 'b.wav', 'c.wav', 'a.wav'])).toBe(3)
    const [a, b, c] = ['a.wav', 'b.wav', 'c.wav'].map((n) => table.files.get(n)!)
    ledger.mark(a!, 'downloading')
    ledger.partBytes(a!, 10)
    ledger.done('a.wav', a!, { dest: join(out, 'a.wav'), path: 'a.wav', bytes: 12, crc64: '42', at: 0 })
    ledger.fail('b.wav', b!, { code: 'NotExist.Record', message: 'gone' })
    expect(ledger.skip('call/7', 'no recording')).toBe(true)
    expect(ledger.skip('call/7', 'no recording')).toBe(false)
    expect(changes).toBeGreaterThanOrEqual(6)
    const again = await replayed()
    expect(again.counts).toEqual(table.counts)
    expect(again.bytes).toBe(12)
    expect(again.files.get('a.wav')).toMatchObject({ state: 'done', crc64: '42', path: 'a.wav' })
    expect(c!.state).toBe('queued')
    // The folder a file was renamed into is synced before the line that calls it done.
    expect(synced).toEqual([out])
  })

  it('journals names in batches of a thousand, and a retry of every failure in batches too', async () => {
    const names = Array.from({ length: 2500 }, (_, i) => `n-${i}.wav`)
    ledger.add(names)
    for (const name of names) ledger.fail(name, table.files.get(name)!, { code: 'InternalError', message: 'x' })
    expect(ledger.retry('InternalError')).toBe(2500)
    const events = await journalled()
    expect(events.filter((e) => e.type === 'add').map((e) => (e.type === 'add' ? e.names.length : 0))).toEqual([1000, 1000, 500])
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3)
    expect((await replayed()).counts).toMatchObject({ queued: 2500, failed: 0 })
  })

  it('parks an interrupted file as paused when its .part holds bytes, else queued; neither is journalled', async () => {
    ledger.add(['p.wav', 'q.wav'])
    const [p, q] = [table.files.get('p.wav')!, table.files.get('q.wav')!]
    ledger.mark(p, 'downloading')
    ledger.partBytes(p, 5)
    ledger.park(p)
    ledger.mark(q, 'resolving')
    ledger.park(q)
    expect([p.state, q.state]).toEqual(['paused', 'queued'])
    expect((await journalled()).map((e) => e.type)).toEqual(['add'])
  })

  it('writes options and run states, and only the states a replay can stand in', async () => {
    ledger.options({ concurrency: 9, layout: 'flat', maxBytesPerSecond: 100 })
    ledger.state({ kind: 'running' }, 0)
    ledger.state({ kind: 'pausing' }, 1)
    ledger.state({ kind: 'paused', reason: { code: 'DiskFull', message: 'full' } }, 2)
    expect(table.header?.options.concurrency).toBe(9)
    const events = await journalled()
    expect(events.map((e) => (e.type === 'state' ? e.state : e.type))).toEqual(['options', 'running', 'paused'])
    expect(events.at(-1)).toMatchObject({ reason: { code: 'DiskFull' }, at: '1970-01-01T00:00:00.002Z' })
  })
})
