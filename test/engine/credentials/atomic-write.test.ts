import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../main/engine/credentials/atomic-write.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

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
