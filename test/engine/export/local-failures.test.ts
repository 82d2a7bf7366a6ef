import { type FileHandle, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { JournalWriter } from '../../../main/engine/export/journal-writer.ts'
import { usableFolder } from '../../../main/engine/export/output-folder.ts'
import { rejectionOf } from '../../rejection.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-failures-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const errno = (code: string) => Object.assign(new Error(`${code}: refused, open '/x'`), { code })

describe('the journal on a full disk', () => {
  it('fails its flush with DiskFull, tells its listener once, and closes without throwing again', async () => {
    let fail = false
    const w = await JournalWriter.open(dir, {
      sink: (file) => ({
        write: ((...args: Parameters<FileHandle['write']>) => (fail ? Promise.reject(errno('ENOSPC')) : file.write(...args))) as FileHandle['write'],
        datasync: () => file.datasync(),
        close: () => file.close(),
      }),
    })
    const told: CccError[] = []
    w.onFailure((e) => told.push(e))
    w.append({ type: 'add', names: ['a'] })
    await w.flush()
    fail = true
    w.append({ type: 'add', names: ['b'] })
    const error = await rejectionOf(w.flush(), CccError)
    expect(error).toMatchObject({ code: 'DiskFull', handling: 'pause' })
    w.append({ type: 'add', names: ['c'] })
    expect(await rejectionOf(w.flush())).toBe(error)
    expect(told).toEqual([error])
    expect(w.failed).toBe(error)
    await w.close()
    expect(await readFile(journalPath(dir), 'utf8')).toBe('{"type":"add","names":["a"]}\n')
  })

  it('writes what a failed flush could not once there is room again, and nothing twice', async () => {
    let fail = false
    let tornAlready = false
    const w = await JournalWriter.open(dir, {
      sink: (file) => ({
        // A full disk as write(2) meets it: the first call takes five bytes and says so only in
        // its count, the next is refused. The torn part must not stay, nor the flush succeed.
        write: (async (buf: Uint8Array, offset: number, length: number, position: number | null) => {
          if (!fail) return file.write(buf, offset, length, position)
          if (tornAlready) throw errno('ENOSPC')
          tornAlready = true
          return file.write(buf, offset, Math.min(5, length), position)
        }) as FileHandle['write'],
        datasync: () => file.datasync(),
        close: () => file.close(),
        truncate: (n?: number) => file.truncate(n),
      }),
    })
    w.append({ type: 'add', names: ['a'] })
    await w.flush()
    fail = true
    w.append({ type: 'add', names: ['b'] })
    await rejectionOf(w.flush(), CccError)
    fail = false
    w.append({ type: 'add', names: ['c'] })
    await w.flush()
    expect(w.failed).toBeUndefined()
    await w.close()
    expect(await readFile(journalPath(dir), 'utf8')).toBe('{"type":"add","names":["a"]}\n{"type":"add","names":["b"]}\n{"type":"add","names":["c"]}\n')
  })

  it('without a listener, close still reports the failure', async () => {
    const w = await JournalWriter.open(dir, {
      sink: (file) => ({ write: file.write.bind(file), datasync: () => Promise.reject(errno('EDQUOT')), close: () => file.close() }),
    })
    w.append({ type: 'add', names: ['a'] })
    expect(await rejectionOf(w.close())).toMatchObject({ code: 'DiskFull' })
  })
})

describe('a folder that refuses an export', () => {
  for (const [code, reason] of [
    ['EACCES', 'no permission to write in it'],
    ['EPERM', 'the system does not allow changing it'],
    ['EROFS', 'it is on a read-only disk'],
  ] as const) {
    it(`names the folder and the reason for ${code}`, async () => {
      const error = await rejectionOf(usableFolder(dir, () => Promise.reject(errno(code))), CccError)
      expect(error.code).toBe('Export.OutputUnusable')
      expect(error.message).toBe(`${dir}: cannot be used as the output folder: ${reason}${code === 'EPERM' ? ' (an immutable file or folder, or a protected location)' : ''}`)
    })
  }

  it('names the file in the way for ENOTDIR, and passes a full disk through as it is', async () => {
    await writeFile(join(dir, 'f'), 'x')
    const error = await rejectionOf(usableFolder(join(dir, 'f', 'a', 'b'), () => Promise.reject(errno('ENOTDIR'))), CccError)
    expect(error.message).toContain(`${join(dir, 'f')} is a file, not a folder`)
    const full = errno('ENOSPC')
    expect(await rejectionOf(usableFolder(dir, () => Promise.reject(full)))).toBe(full)
  })
})
