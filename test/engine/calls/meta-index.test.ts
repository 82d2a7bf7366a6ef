import { appendFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MetaIndex, metaLineName } from '../../../main/engine/calls/meta-index.ts'
import { META_FILE, MetaStore } from '../../../main/engine/calls/meta-store.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { STATE_DIR } from '../../../main/engine/export/journal.ts'
import { tempDir } from './manifest-fixture.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function store(): Promise<{ dir: string; meta: MetaStore }> {
  const dir = await tempDir()
  dirs.push(dir)
  return { dir, meta: await MetaStore.open(dir) }
}

describe('the metadata index', () => {
  it('reads back the metadata of the asked rows only, as the store wrote it, Chinese names and escapes included', async () => {
    const { dir, meta } = await store()
    const table = new ExportTable()
    const names = Array.from({ length: 20_000 }, (_, i) => `17092512${String(i).padStart(5, '0')}-"q\\${i}".wav`)
    table.add(names)
    names.forEach((n, i) => {
      if (i % 7 !== 3) meta.recording(n, { agentName: `张三${i}`, caller: `138${i}`, contactId: `job-${i}` })
      meta.done(n, { at: '2026-03-01T00:00:00.000Z', sha256: 'ab' })
    })
    await meta.flush()
    const index = new MetaIndex(dir, table.files)
    // The first rows need only the file's start; a later page goes on from where that pass stopped.
    expect(await index.metas([names[0]!, names[1]!])).toEqual([{ agentName: '张三0', caller: '1380', contactId: 'job-0' }, { agentName: '张三1', caller: '1381', contactId: 'job-1' }])
    const got = await index.metas([names[19_999]!, names[3]!, names[0]!, 'not-in-the-export.wav'])
    expect(got).toEqual([{ agentName: '张三19999', caller: '13819999', contactId: 'job-19999' }, undefined, { agentName: '张三0', caller: '1380', contactId: 'job-0' }, undefined])
    await meta.close()
  })

  it('follows the file as the export appends to it, and waits for a line still being written', async () => {
    const { dir, meta } = await store()
    const table = new ExportTable()
    table.add(['a.wav'])
    meta.recording('a.wav', { caller: '1' })
    await meta.flush()
    const index = new MetaIndex(dir, table.files)
    expect(await index.metas(['a.wav'])).toEqual([{ caller: '1' }])
    table.add(['b.wav', 'c.wav'])
    meta.recording('b.wav', { caller: '2' })
    await meta.flush()
    // Half a line, as a writer caught mid-write leaves it: not indexed until it ends.
    await appendFile(join(dir, STATE_DIR, META_FILE), '{"n":"c.wav","m":{"cal')
    expect(await index.metas(['b.wav', 'c.wav'])).toEqual([{ caller: '2' }, undefined])
    await appendFile(join(dir, STATE_DIR, META_FILE), 'ler":"3"}}\n')
    expect(await index.metas(['c.wav', 'a.wav'])).toEqual([{ caller: '3' }, { caller: '1' }])
    await meta.close()
  })

  it('answers nothing, without failing, for an export that has no metadata file', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    const table = new ExportTable()
    table.add(['a.wav'])
    expect(await new MetaIndex(dir, table.files).metas(['a.wav'])).toEqual([undefined])
  })

  it('takes a name from a metadata line only, never from a verification line or a damaged one', () => {
    expect(metaLineName(Buffer.from('{"n":"张\\"三.wav","m":{}}'))).toBe('张"三.wav')
    expect(metaLineName(Buffer.from('{"n":"a.wav","d":{"at":"x"}}'))).toBeUndefined()
    expect(metaLineName(Buffer.from('{"n":"a.wav'))).toBeUndefined()
    expect(metaLineName(Buffer.from('garbage'))).toBeUndefined()
  })
})
