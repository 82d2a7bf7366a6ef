import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { journalPath, replayJournal, rewriteJournal } from '../../../main/engine/export/journal.ts'
import { JournalWriter } from '../../../main/engine/export/journal-writer.ts'
import type { ExportHeaderEvent } from '../../../main/engine/export/journal-events.ts'
import { compactedJournal } from '../../../main/engine/export/compacted-journal.ts'

const header: ExportHeaderEvent = {
  type: 'export',
  version: 1,
  id: 'e1',
  createdAt: '2026-01-01T00:00:00.000Z',
  instanceId: 'inst',
  source: { kind: 'names', file: 'names.csv' },
  options: { concurrency: 6, layout: 'flat', maxBytesPerSecond: null },
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

async function replay(): Promise<{ table: ExportTable; damaged: readonly number[] }> {
  const table = new ExportTable()
  const r = await replayJournal(dir, (e) => table.apply(e))
  return { table, damaged: r.damaged }
}

describe('journal', () => {
  it('replays adds, done, fail, skip and retry into the same table', async () => {
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names: ['a', 'b', 'c', 'd'] })
    w.append({ type: 'done', name: 'a', bytes: 10, crc64: '123', path: 'a' })
    w.append({ type: 'fail', name: 'b', code: 'NotExist.Record', message: 'gone', attempts: 1 })
    w.append({ type: 'fail', name: 'c', code: 'InternalError', message: 'x', attempts: 3 })
    w.append({ type: 'retry', names: ['c'] })
    w.append({ type: 'skip', name: 'd', reason: 'invalid' })
    await w.close()
    const { table } = await replay()
    expect(table.header?.instanceId).toBe('inst')
    expect(table.counts).toMatchObject({ total: 4, done: 1, failed: 1, queued: 1, skipped: 1 })
    expect(table.bytes).toBe(10)
    expect(table.failures()).toEqual([{ code: 'NotExist.Record', count: 1, sample: 'gone' }])
  })

  it('replays done lines in any order, and keeps each path', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `n${i}.wav`)
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names })
    // Some in order, then backwards, then a jump and a repeat: what a live export writes.
    const order = [0, 1, 2, ...Array.from({ length: 40 }, (_, i) => 42 - i), 49, 43, 44, 45, 46, 47, 48, 47]
    for (const i of order) w.append({ type: 'done', name: names[i]!, bytes: i, path: i % 2 ? `2026-10-01/${names[i]}` : names[i]!, crc64: String(i) })
    w.append({ type: 'done', name: 'not-added.wav', bytes: 1, path: 'not-added.wav' })
    await w.close()
    const { table } = await replay()
    expect(table.counts).toMatchObject({ total: 50, done: 50 })
    for (const [i, name] of names.entries()) {
      expect(table.files.get(name)).toMatchObject({ state: 'done', bytes: i, crc64: String(i), path: i % 2 ? `2026-10-01/${name}` : name })
    }
  })

  it('replays a line longer than a read', async () => {
    // An add line of about 3 MB: three times the replay's read size.
    const names = Array.from({ length: 40_000 }, (_, i) => `${'x'.repeat(60)}-${i}.wav`)
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names })
    w.append({ type: 'done', name: names[39_999]!, bytes: 7, path: names[39_999]! })
    await w.close()
    const { table, damaged } = await replay()
    expect(damaged).toEqual([])
    expect(table.counts).toMatchObject({ total: 40_000, done: 1 })
  })

  it('replays names that are not ASCII, in reads that are all ASCII and reads that are not', async () => {
    // About 2 MB of ASCII add lines (each longer than a decoded slice), then lines with Chinese
    // names and paths, an emoji and a lone surrogate: slices of both kinds.
    const ascii = Array.from({ length: 30_000 }, (_, i) => `${'a'.repeat(60)}-${i}.wav`)
    const other = ['录音-1.wav', 'café.wav', '😀.wav', 'half-\ud83d.wav']
    const w = await JournalWriter.open(dir)
    w.append(header)
    for (let i = 0; i < ascii.length; i += 1000) w.append({ type: 'add', names: ascii.slice(i, i + 1000) })
    w.append({ type: 'add', names: other })
    for (const name of [...ascii.slice(0, 10_000), ...other]) w.append({ type: 'done', name, bytes: 1, path: `坐席/${name}` })
    await w.close()
    const { table, damaged } = await replay()
    expect(damaged).toEqual([])
    expect(table.counts).toMatchObject({ total: 30_004, done: 10_004 })
    for (const name of [ascii[0]!, ascii[9_999]!, ...other]) expect(table.files.get(name)?.path, name).toBe(`坐席/${name}`)
    expect([...table.files].slice(-4).map(([name]) => name)).toEqual(other)
  })

  it('tolerates a torn last line and never appends onto it', async () => {
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names: ['a', 'b'] })
    await w.close()
    await appendFile(journalPath(dir), '{"type":"done","name":"a","by')
    const first = await replay()
    expect(first.damaged).toEqual([3])
    expect(first.table.counts.done).toBe(0)

    const again = await JournalWriter.open(dir)
    again.append({ type: 'done', name: 'b', bytes: 5, path: 'b' })
    await again.close()
    const second = await replay()
    expect(second.damaged).toEqual([])
    expect(second.table.counts.done).toBe(1)
  })

  it('cuts a torn last line longer than the 64 KB it reads at a time whole, not just its tail', async () => {
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names: ['a', 'b'] })
    await w.close()
    // A long line (a call's CSV row in meta.jsonl, a thousand names) cut off by a crash.
    await appendFile(journalPath(dir), `{"type":"add","names":["${'x'.repeat(150 * 1024)}`)
    const again = await JournalWriter.open(dir)
    again.append({ type: 'done', name: 'b', bytes: 5, path: 'b' })
    await again.close()
    const { table, damaged } = await replay()
    expect(damaged).toEqual([])
    expect(table.size).toBe(2)
    expect(table.counts.done).toBe(1)
  })
  it('batches writes and makes them durable on flush', async () => {
    const w = await JournalWriter.open(dir, { flushIntervalMs: 60_000 })
    w.append(header)
    expect(await readFile(journalPath(dir), 'utf8')).toBe('')
    await w.flush()
    expect((await readFile(journalPath(dir), 'utf8')).split('\n')).toHaveLength(2)
    await w.close()
  })

  it('waits for beforeWrite before each write, so what it makes durable precedes the events', async () => {
    const seen: string[] = []
    const w = await JournalWriter.open(dir, {
      flushIntervalMs: 60_000,
      beforeWrite: async () => {
        seen.push(await readFile(journalPath(dir), 'utf8'))
      },
    })
    w.append(header)
    await w.flush()
    w.append({ type: 'add', names: ['a'] })
    await w.close()
    expect(seen).toEqual(['', `${JSON.stringify(header)}\n`])
  })

  it('compacts to header, names and final states, and replays the same', async () => {
    const w = await JournalWriter.open(dir)
    w.append(header)
    w.append({ type: 'add', names: ['a', 'b'], startTimes: [1_700_000_000_000, null] })
    for (let i = 0; i < 50; i++) w.append({ type: 'fail', name: 'b', code: 'Network', message: 'reset', attempts: 6 })
    for (let i = 0; i < 50; i++) w.append({ type: 'retry', names: ['b'] })
    w.append({ type: 'done', name: 'a', bytes: 7, path: 'a' })
    await w.close()
    const before = await replay()
    await rewriteJournal(dir, compactedJournal(before.table))
    const text = await readFile(journalPath(dir), 'utf8')
    expect(text.trim().split('\n')).toHaveLength(3)
    const after = await replay()
    expect(after.table.counts).toEqual(before.table.counts)
    expect(after.table.files.get('a')?.startTime).toBe(1_700_000_000_000)
  })
})
