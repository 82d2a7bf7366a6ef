import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { folderFiles } from '../../../main/engine/calls/folder-walk.ts'
import { put, tempDir } from './manifest-fixture.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function list(dir: string, which: 'files' | 'partial'): Promise<string[]> {
  const out: string[] = []
  for await (const path of folderFiles(dir, which)) out.push(path)
  return out.sort()
}

describe('folderFiles', () => {
  it("finds the partial files a cancel removes, but not those of an export in a subfolder of its own", async () => {
    const out = await tempDir()
    dirs.push(out)
    await put(out, '.ccc-recordings/journal.jsonl', '{}\n')
    await put(out, 'a.wav.part', 'mine')
    await put(out, '2026/03/b.wav.part.etag', 'mine')
    // The app's folder for a date range inside the default folder, still downloading.
    await put(out, '2026-12-01_2026-12-04/.ccc-recordings/journal.jsonl', '{}\n')
    await put(out, '2026-12-01_2026-12-04/2026/12/01/c.wav.part', 'the inner export is writing it')
    await put(out, '2026-12-01_2026-12-04/2026/12/01/d.wav', 'done')
    expect(await list(out, 'partial')).toEqual(['2026/03/b.wav.part.etag', 'a.wav.part'])
    expect(await list(out, 'files')).toEqual([])
  })
})
