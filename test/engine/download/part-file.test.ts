import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { commitPart, localError, openPart, partPaths, readSidecar, sizeOf, writeSidecar } from '../../../main/engine/download/part-file.ts'

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code })

describe('localError', () => {
  it('turns a full disk into DiskFull (pause) and other failures into Local.WriteFailed (fatal)', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const e = localError(errno(code), 'write', '/out/x.wav.part') as CccError
      expect([e.code, e.handling]).toEqual(['DiskFull', 'pause'])
    }
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'EISDIR']) {
      const e = localError(errno(code), 'write', '/out/x.wav.part') as CccError
      expect([e.code, e.handling], code).toEqual(['Local.WriteFailed', 'fatal'])
      expect(e.message).toContain(code)
    }
  })

  it('passes our own errors and aborts through untouched', () => {
    const mine = new CccError({ code: 'BodyTruncated', message: 'x' })
    expect(localError(mine, 'write', 'f')).toBe(mine)
    const abort = new DOMException('stop', 'AbortError')
    expect(localError(abort, 'write', 'f')).toBe(abort)
  })
})

describe('the .part files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ccc-part-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps exactly the resumed prefix when reopened', async () => {
    const paths = partPaths(path.join(dir, 'a.wav'))
    await writeFile(paths.part, 'abcdefgh')
    const fh = await openPart(paths.part, 5)
    await fh.write(Buffer.from('XY'), 0, 2, 5)
    await fh.close()
    expect(await readFile(paths.part, 'utf8')).toBe('abcdeXY')
    expect(await sizeOf(path.join(dir, 'missing'))).toBe(0)
  })

  it('records and forgets the ETag sidecar', async () => {
    const paths = partPaths(path.join(dir, 'a.wav'))
    await writeSidecar(paths.etag, { etag: '"ABC"', size: 10, crc64: '123' })
    expect(await readSidecar(paths.etag)).toEqual({ etag: '"ABC"', size: 10, crc64: '123' })
    await writeSidecar(paths.etag, { etag: '"ABC"' })
    expect(await readSidecar(paths.etag)).toEqual({ etag: '"ABC"' })
    await writeSidecar(paths.etag, undefined)
    expect(await readSidecar(paths.etag)).toBeUndefined()
    expect(await readdir(dir)).toEqual([])
  })

  it('commits by renaming over the destination, leaving only the final file', async () => {
    const paths = partPaths(path.join(dir, 'a.wav'))
    await writeFile(paths.dest, 'old')
    await writeSidecar(paths.etag, { etag: '"ABC"' })
    const fh = await openPart(paths.part, 0)
    await fh.write(Buffer.from('new'))
    await commitPart(fh, paths)
    expect(await readFile(paths.dest, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['a.wav'])
  })
})
