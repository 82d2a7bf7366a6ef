import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CallColumns, callOf, FileQueries } from '../../main/electron/handlers/file-query.ts'
import { MetaStore } from '../../main/engine/calls/meta-store.ts'
import { ExportTable } from '../../main/engine/export/export-table.ts'

describe('file queries', () => {
  it('finds a file by part of its name among a million, and pages through the matches', { timeout: 60_000 }, () => {
    const table = new ExportTable()
    table.add(Array.from({ length: 1_000_000 }, (_, i) => `${1709251200000 + i}-call.wav`))
    const q = new FileQueries()
    const hit = q.rows('x', table, { offset: 0, limit: 100, search: '1709251999999' })
    expect(hit.total).toBe(1)
    expect(hit.rows[0]?.name).toBe('1709251999999-call.wav')
    expect(q.rows('x', table, { offset: 0, limit: 100, search: 'CALL.WAV' }).total).toBe(1_000_000)
    const page = q.rows('x', table, { offset: 10, limit: 5, search: '17092512000' })
    expect(page).toMatchObject({ total: 100, rows: [{ name: '1709251200010-call.wav' }, {}, {}, {}, {}] })
  })

  it('sorts by name, size or state, either way, and keeps the order for the next window', () => {
    const table = new ExportTable()
    table.add(['b.wav', 'c.wav', 'a.wav'])
    const [b, c] = ['b.wav', 'c.wav'].map((n) => table.files.get(n)!)
    table.done(b!, 300, '/o/b.wav')
    table.fail(c!, { code: 'NotExist.Record', message: 'gone' })
    const q = new FileQueries()
    expect(q.rows('x', table, { offset: 0, limit: 3, sort: 'name' }).rows.map((r) => r.name)).toEqual(['a.wav', 'b.wav', 'c.wav'])
    expect(q.rows('x', table, { offset: 0, limit: 3, sort: 'size', descending: true }).rows[0]?.name).toBe('b.wav')
    expect(q.rows('x', table, { offset: 0, limit: 3, sort: 'state' }).rows.map((r) => r.state)).toEqual(['failed', 'queued', 'done'])
    expect(q.rows('x', table, { offset: 1, limit: 1, sort: 'name', state: 'queued' }).rows).toEqual([])
  })
})

describe('call columns', () => {
  it('adds agent, numbers, start and contact ID to the rows of a page, from the metadata file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccc-calls-'))
    try {
      const table = new ExportTable()
      table.add(['a.wav', 'b.wav', 'c.wav'])
      const meta = await MetaStore.open(dir)
      meta.recording('a.wav', { agentName: '张三', caller: '13800138000', callee: '02188880000', callStart: 1709251200000, start: 1709251205000, contactId: 'job-1' })
      meta.recording('c.wav', { agents: [{ id: 'a7' }, { name: '李四' }], start: 1709251300000 })
      await meta.close()
      const rows = new FileQueries().rows(dir, table, { offset: 0, limit: 3, sort: 'name' }).rows
      const withCalls = await new CallColumns().add(dir, table, rows)
      expect(withCalls).toEqual([
        { name: 'a.wav', state: 'queued', bytes: 0, call: { agent: '张三', caller: '13800138000', callee: '02188880000', start: 1709251200000, contactId: 'job-1' } },
        { name: 'b.wav', state: 'queued', bytes: 0 },
        { name: 'c.wav', state: 'queued', bytes: 0, call: { agent: 'a7, 李四', start: 1709251300000 } },
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('shows nothing rather than an empty cell set for metadata without call columns', () => {
    expect(callOf({ direction: 'Inbound' })).toBeUndefined()
    expect(callOf({ agentId: 'a1', agents: [{ name: '王五' }] })).toEqual({ agent: 'a1' })
  })
})
