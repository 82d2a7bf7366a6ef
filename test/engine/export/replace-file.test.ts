import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AtomicWriter, replaceFile } from '../../../main/engine/export/replace-file.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-replace-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('replaceFile', () => {
  it('replaces the old file with every line, pieces past 64 KB included', async () => {
    const target = path.join(dir, 'report.csv')
    await writeFile(target, 'old')
    const lines = Array.from({ length: 5_000 }, (_, i) => `row ${i},${'x'.repeat(40)}\n`)
    await replaceFile(target, lines)
    expect(await readFile(target, 'utf8')).toBe(lines.join(''))
    expect(await readdir(dir)).toEqual(['report.csv'])
  })

  it('leaves the old file as it was, and no temp file, when the lines fail half way', async () => {
    const target = path.join(dir, 'report.csv')
    await writeFile(target, 'old')
    function* failing() {
      yield 'a'.repeat(70 * 1024) // a piece already on disk in the temp file
      throw new Error('the table went away')
    }
    await expect(replaceFile(target, failing())).rejects.toThrow(/went away/)
    expect(await readFile(target, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['report.csv'])
  })
})

describe('AtomicWriter', () => {
  it('is readable at its temp name after finish and in place only after commit', async () => {
    const target = path.join(dir, 'manifest.jsonl')
    const w = await AtomicWriter.open(target)
    expect(w.write('{"a":1}\n')).toBeUndefined() // buffered: no promise per line
    await w.finish()
    expect(await readFile(w.temp, 'utf8')).toBe('{"a":1}\n')
    expect(await readdir(dir)).toEqual(['manifest.jsonl.tmp'])
    await w.commit()
    expect(await readdir(dir)).toEqual(['manifest.jsonl'])
  })

  it('abandon removes the temp file and keeps the old target', async () => {
    const target = path.join(dir, 'manifest.jsonl')
    await writeFile(target, 'kept')
    const w = await AtomicWriter.open(target)
    await w.write('x'.repeat(100 * 1024))
    await w.abandon()
    expect(await readdir(dir)).toEqual(['manifest.jsonl'])
    expect(await readFile(target, 'utf8')).toBe('kept')
  })
})
