import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AtomicWriter, isTempOf, removeTempsOf, replaceFile, writeFileAtomic } from '../../main/engine/atomic-file.ts'

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
    expect(await readdir(dir)).toEqual([path.basename(w.temp)])
    expect(isTempOf(path.basename(w.temp), 'manifest.jsonl')).toBe(true)
    expect(isTempOf(path.basename(w.temp), 'report.csv')).toBe(false)
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

  it('abandon never throws, even when the temp file cannot be removed: the failure before it is the one to report', async () => {
    const w = await AtomicWriter.open(path.join(dir, 'manifest.jsonl'))
    await w.finish()
    // Something rm without `recursive` refuses, where the temp file was.
    await rm(w.temp)
    await mkdir(w.temp)
    await writeFile(path.join(w.temp, 'x'), 'x')
    await expect(w.abandon()).resolves.toBeUndefined()
  })
})

it('gives each writer its own temp file: two writing the same file at once each rename a whole one', async () => {
  const target = path.join(dir, 'schedules.json')
  const [a, b] = await Promise.all([AtomicWriter.open(target), AtomicWriter.open(target)])
  expect(a.temp).not.toBe(b.temp)
  await a.write('a'.repeat(100 * 1024))
  await b.write('b'.repeat(100 * 1024))
  await Promise.all([a.finish(), b.finish()])
  await a.commit()
  expect(await readFile(target, 'utf8')).toBe('a'.repeat(100 * 1024))
  await b.commit()
  expect(await readFile(target, 'utf8')).toBe('b'.repeat(100 * 1024))
})

describe('writeFileAtomic', () => {
  it('replaces a file, leaving no temp file and no access for others', async () => {
    const file = path.join(dir, 'a.json')
    await writeFile(file, 'old', { mode: 0o644 })
    await writeFileAtomic(file, 'new content')
    expect(await readFile(file, 'utf8')).toBe('new content')
    expect(await readdir(dir)).toEqual(['a.json'])
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('cleans up its temp file and throws when the rename fails', async () => {
    const target = path.join(dir, 'taken')
    await mkdir(target)
    await writeFile(path.join(target, 'inside'), 'x')
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow()
    expect(await readdir(dir)).toEqual(['taken'])
  })

  it('keeps readers from ever seeing a partial file', async () => {
    const file = path.join(dir, 'big.txt')
    const versions = ['a', 'b', 'c'].map((ch) => ch.repeat(256 * 1024))
    await writeFileAtomic(file, versions[0] ?? '')
    let writing = true
    let reads = 0
    const reader = (async () => {
      while (writing) {
        expect(versions).toContain(await readFile(file, 'utf8'))
        reads++
      }
    })()
    for (let i = 0; i < 40; i++) await writeFileAtomic(file, versions[i % 3] ?? '')
    writing = false
    await reader
    expect(reads).toBeGreaterThan(0)
  })
})

describe('a temp file in another folder', () => {
  it('is written in `tempDir` (made if missing) and renamed into place', async () => {
    const state = path.join(dir, '.ccc-recordings')
    const w = await AtomicWriter.open(path.join(dir, 'report.csv'), { tempDir: state })
    await w.write('row\n')
    await w.finish()
    expect(await readdir(dir)).toEqual(['.ccc-recordings'])
    expect(path.dirname(w.temp)).toBe(state)
    await w.commit()
    expect(await readFile(path.join(dir, 'report.csv'), 'utf8')).toBe('row\n')
    expect(await readdir(state)).toEqual([])
  })

  it('removeTempsOf removes the temp files of the named targets only', async () => {
    const names = ['.report.csv.17.0123456789ab.tmp', '.journal.jsonl.18.0123456789ab.tmp', '.settings.json.19.0123456789ab.tmp', 'report.csv', '.report.csv.tmp']
    for (const n of names) await writeFile(path.join(dir, n), 'x')
    expect(await removeTempsOf(dir, ['report.csv', 'journal.jsonl'])).toBe(2)
    expect((await readdir(dir)).sort()).toEqual(['.report.csv.tmp', '.settings.json.19.0123456789ab.tmp', 'report.csv'])
  })
})
