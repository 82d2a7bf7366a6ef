import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { journalPath, replayJournal, STATE_DIR } from '../../../main/engine/export/journal.ts'
import type { ExportHeaderEvent } from '../../../main/engine/export/journal-events.ts'
import { isValidEvent } from '../../../main/engine/export/journal-schema.ts'
import { openExport } from '../../../main/engine/export/open-export.ts'

const header: ExportHeaderEvent = {
  type: 'export',
  version: 1,
  id: 'e1',
  createdAt: '2026-01-01T00:00:00.000Z',
  instanceId: 'inst',
  source: { kind: 'names' },
  options: { concurrency: 6, layout: 'flat', maxBytesPerSecond: null },
}
const init = { instanceId: 'inst', source: { kind: 'names' as const }, options: header.options }

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-lines-'))
  await mkdir(join(dir, STATE_DIR))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const writeJournal = (lines: readonly string[]) => writeFile(journalPath(dir), lines.map((l) => `${l}\n`).join(''))
const json = (e: unknown) => JSON.stringify(e)

describe('journal lines are validated on replay', () => {
  it('skips and reports a line without the fields its type needs, never crashes and never trusts it', async () => {
    await writeJournal([
      json(header),
      json({ type: 'add', names: ['a.wav', 'b.wav', 'c.wav'] }),
      json({ type: 'add' }),
      json({ type: 'done', name: 'a.wav', bytes: 'x', path: 'a.wav' }),
      json({ type: 'done', name: 'b.wav', bytes: -5, path: 'b.wav' }),
      json({ type: 'done', name: 'c.wav', bytes: 10, path: '../../etc/passwd' }),
      json({ type: 'fail', name: 'a.wav' }),
      json({ type: 'retry', names: [1, 2] }),
      json({ type: 'state', state: 'exploded', at: 'now' }),
      json({ type: 'listed', next: {}, pages: 1, found: 1, unrecorded: 0 }),
      '"just a string"',
      'null',
      json({ type: 'from-a-newer-build', anything: true }),
    ])
    const table = new ExportTable()
    const r = await replayJournal(dir, (e) => table.apply(e))
    expect(r.damaged).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    // The header, the good add, and the unknown type (ignored by the table, as an older build would).
    expect(r.events).toBe(3)
    expect(table.counts).toMatchObject({ total: 3, queued: 3, done: 0, failed: 0 })
    expect(table.bytes).toBe(0)
  })

  it('lets status read a journal with such lines, and open skip them and compact them away', async () => {
    await writeJournal([json(header), json({ type: 'add', names: ['a.wav'] }), json({ type: 'add' }), json({ type: 'done', name: 'a.wav', bytes: 'x', path: 'a.wav' })])
    const status = await readExportStatus(dir, async () => false)
    expect(status).toMatchObject({ instanceId: 'inst', counts: { total: 1, queued: 1, done: 0 }, bytes: 0 })
    const opened = await openExport(dir, undefined)
    expect(opened.replay?.damaged).toEqual([3, 4])
    await opened.journal.close()
    await opened.lock.release()
    expect(await readFile(journalPath(dir), 'utf8')).not.toContain('"bytes":"x"')
  })

  it('reads a finished export whose failed files were retried after it finished as paused, so it can be resumed', async () => {
    const failed = { type: 'fail', name: 'b.wav', code: 'Network', message: 'down', attempts: 3 }
    const finished = { type: 'state', state: 'finished', at: '2026-01-01T00:01:00.000Z' }
    await writeJournal([json(header), json({ type: 'add', names: ['b.wav'] }), json(failed), json(finished)])
    expect(await readExportStatus(dir, async () => false)).toMatchObject({ state: 'finished', counts: { failed: 1 } })
    await appendFile(journalPath(dir), `${json({ type: 'retry', names: ['b.wav'] })}\n`)
    expect(await readExportStatus(dir, async () => false)).toMatchObject({ state: 'paused', counts: { queued: 1 } })
  })

  it('accepts every event the runner writes', () => {
    const events: unknown[] = [
      header,
      { ...header, region: 'cn-shanghai', endpoint: 'https://x', profile: 'p', source: { kind: 'range', from: 'a', to: 'b', phone: '1' } },
      { type: 'add', names: ['a'], startTimes: [1, null] },
      { type: 'add', names: ['a', 'b'], startTimes: [1, null] },
      { type: 'done', name: 'a', bytes: 0, path: '2026-01-01/a', crc64: '1', attempts: 1 },
      { type: 'done', name: 'a..b.wav', bytes: 3, path: 'a..b.wav' },
      { type: 'fail', name: 'a', code: 'X', message: 'm', attempts: 2, status: 500, requestId: 'r' },
      { type: 'skip', name: 'a', reason: 'r' },
      { type: 'retry', names: ['a'] },
      { type: 'recheck', names: ['a'], reason: 'missing' },
      { type: 'state', state: 'paused', at: 't', reason: { code: 'DiskFull', message: 'm' } },
      { type: 'options', options: { concurrency: 2, layout: 'by-date', maxBytesPerSecond: 1000 } },
      { type: 'contacts', ids: ['c1'] },
      { type: 'listed', next: { contact: 3 }, pages: 1, found: 2, unrecorded: 0 },
      { type: 'listed', next: { at: 1, page: 2 }, pages: 1, found: 2, unrecorded: 0 },
    ]
    // The first add is short of start times: one a name is the rule.
    expect(events.map(isValidEvent)).toEqual([true, true, false, true, true, true, true, true, true, true, true, true, true, true, true])
  })
})

describe('a journal with no event', () => {
  for (const [what, content] of [
    ['empty', ''],
    ['only a torn first line', '{"type":"export","vers'],
    ['only whitespace', '  \n\r\n\t\n'],
  ] as const) {
    it(`(${what}) in an otherwise empty folder is a fresh start`, async () => {
      await writeFile(journalPath(dir), content)
      expect(await readExportStatus(dir, async () => false)).toBeUndefined()
      const opened = await openExport(dir, init)
      expect(opened.table.header?.instanceId).toBe('inst')
      await opened.journal.close()
      await opened.lock.release()
      const lines = (await readFile(journalPath(dir), 'utf8')).split('\n').filter(Boolean)
      expect(lines.map((l) => JSON.parse(l).type)).toEqual(['export'])
    })
  }

  it('beside other files is a fresh start too: they are checked as in any folder without a journal', async () => {
    await writeFile(journalPath(dir), '')
    await writeFile(join(dir, 'a.wav'), 'x')
    const opened = await openExport(dir, init)
    expect(opened.table.header?.instanceId).toBe('inst')
    // Not a fresh folder: a file there is looked at before anything is written over it.
    expect(opened.freshFolder).toBe(false)
    await opened.journal.close()
    await opened.lock.release()
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('x')
  })
  it('that is damaged beyond one torn line is still refused: it is no blank journal', async () => {
    await writeFile(journalPath(dir), 'garbage\nmore garbage\n')
    await expect(openExport(dir, init)).rejects.toMatchObject({ code: 'Export.Conflict' })
  })
})
