import { appendFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { META_FILE, MetaStore, manifestRows } from '../../../main/engine/calls/meta-store.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { STATE_DIR } from '../../../main/engine/export/journal.ts'
import { tempDir } from './manifest-fixture.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

const sha = (c: string) => c.repeat(64)

describe('the manifest rows read back from meta.jsonl', () => {
  it('say what the file says of each verified file, the last line winning, however it was written, and can be walked twice', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    const table = new ExportTable()
    table.add(['a.wav', 'b.wav', 'c.wav', 'd.wav', 'e.wav', 'f.wav'])
    for (const n of ['a.wav', 'b.wav', 'c.wav', 'e.wav', 'f.wav']) table.apply({ type: 'done', name: n, bytes: 3, path: n === 'b.wav' ? '2026/b.wav' : n, crc64: '42' })
    const meta = await MetaStore.open(dir)
    meta.recording('a.wav', { contactId: 'job-a', agentName: '张三' })
    meta.done('a.wav', { at: '2026-03-01T01:30:00.000Z', sha256: sha('1'), by: 'crc64' })
    meta.done('b.wav', { at: '2026-03-01T01:31:00.000Z', sha256: sha('2'), by: 'length' })
    // A file verified twice (downloaded again after a recheck): the later line is the one.
    meta.done('b.wav', { at: '2026-03-02T01:31:00.000Z', sha256: sha('3'), by: 'md5' })
    meta.done('c.wav', { at: '2026-03-01T01:32:00.000Z' })
    // Not verified: its lines are not rows.
    meta.recording('d.wav', { contactId: 'job-d' })
    meta.done('d.wav', { at: '2026-03-01T01:33:00.000Z', sha256: sha('4') })
    await meta.close()
    // Edited by hand: a time with an offset, an upper-case checksum, an unknown method, an empty checksum.
    const odd = [
      { n: 'e.wav', d: { at: '2026-03-01 09:34:00+08:00', sha256: sha('A'), by: 'sha1' } },
      { n: 'f.wav', d: { at: '2026-03-01T01:35:00.000Z', sha256: sha('5') } },
      { n: 'f.wav', d: { at: '2026-03-01T01:36:00Z', sha256: '', by: '' } },
    ]
    await appendFile(join(dir, STATE_DIR, META_FILE), odd.map((l) => `${JSON.stringify(l)}\n`).join(''))

    const rows = await manifestRows(dir, table)
    const expected = [
      { localPath: 'a.wav', fileName: 'a.wav', bytes: 3, crc64: '42', sha256: sha('1'), downloadedAt: '2026-03-01T01:30:00.000Z', verifiedBy: 'crc64', meta: { contactId: 'job-a', agentName: '张三' } },
      { localPath: '2026/b.wav', fileName: 'b.wav', bytes: 3, crc64: '42', sha256: sha('3'), downloadedAt: '2026-03-02T01:31:00.000Z', verifiedBy: 'md5', meta: {} },
      { localPath: 'c.wav', fileName: 'c.wav', bytes: 3, crc64: '42', downloadedAt: '2026-03-01T01:32:00.000Z', meta: {} },
      { localPath: 'e.wav', fileName: 'e.wav', bytes: 3, crc64: '42', sha256: sha('A'), downloadedAt: '2026-03-01 09:34:00+08:00', verifiedBy: 'sha1', meta: {} },
      { localPath: 'f.wav', fileName: 'f.wav', bytes: 3, crc64: '42', downloadedAt: '2026-03-01T01:36:00Z', meta: {} },
    ]
    expect([...rows]).toEqual(expected)
    // The same rows again (the sidecars are written on a second walk), in the same order of fields.
    expect([...rows].map((r) => JSON.stringify(r))).toEqual(expected.map((r) => JSON.stringify(r)))
  })
})
