import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeFolders } from '../../main/engine/make-folders.ts'
import { rejectionOf } from '../rejection.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'make-folders-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('makeFolders', () => {
  it('makes every missing folder of a path, and leaves one that is there as it is', async () => {
    const deep = join(dir, 'a', 'b', 'c')
    await makeFolders(deep)
    expect((await stat(deep)).isDirectory()).toBe(true)
    await makeFolders(deep)
    await makeFolders(dir)
    expect((await stat(deep)).isDirectory()).toBe(true)
  })

  it('fails with ENOTDIR when a file is in the way, at the folder or above it', async () => {
    const file = join(dir, 'f')
    await writeFile(file, 'x')
    expect(await rejectionOf(makeFolders(file))).toMatchObject({ code: 'ENOTDIR' })
    expect(await rejectionOf(makeFolders(join(file, 'sub')))).toMatchObject({ code: 'ENOTDIR' })
  })

  it.skipIf(process.platform !== 'linux')('fails with ENOENT on a file system that takes no new folders, where recursive mkdir hangs', async () => {
    expect(await rejectionOf(makeFolders('/proc/ccc-recordings-test/sub'))).toMatchObject({ code: 'ENOENT' })
  })
})
