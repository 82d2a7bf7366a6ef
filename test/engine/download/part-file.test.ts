import { createHash } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { crc64 } from '../../../main/engine/download/crc64.ts'
import { PartFile, type ObjectVersion } from '../../../main/engine/download/part-file.ts'
import { localError, renameError, sizeOf } from '../../../main/engine/download/part-io.ts'
import { readSidecar, writeSidecar } from '../../../main/engine/download/sidecar.ts'
import { rejectionOf } from '../../rejection.ts'

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code })

describe('localError', () => {
  it('turns a full disk into DiskFull (pause) and other failures into Local.WriteFailed (fatal)', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const e = localError(errno(code), 'write', '/out/x.wav.part') as CccError
      expect([e.code, e.handling]).toEqual(['DiskFull', 'pause'])
    }
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EIO']) {
      const e = localError(errno(code), 'write', '/out/x.wav.part') as CccError
      expect([e.code, e.handling], code).toEqual(['Local.WriteFailed', 'fatal'])
      expect(e.message).toContain(code)
    }
  })

  it('fails only the one file when another program removed or holds it, and says so', () => {
    const gone = localError(errno('ENOENT'), 'move into place', '/out/x.wav') as CccError
    expect([gone.code, gone.handling]).toEqual(['Local.FileVanished', 'retry'])
    expect(gone.message).toBe('Could not move into place /out/x.wav: another program removed a file or folder the export had made (ENOENT)')
    for (const code of ['EBUSY', 'ETXTBSY']) {
      const busy = localError(errno(code), 'move into place', '/out/x.wav') as CccError
      expect([busy.code, busy.handling], code).toEqual(['Local.FileBusy', 'skip'])
      expect(busy.message).toContain('another program has it open')
    }
  })

  it('reads a refused final rename on Windows as the destination held open or read-only, and elsewhere as before', () => {
    const held = renameError(errno('EPERM'), 'C:\\rec\\x.wav', 'win32') as CccError
    expect([held.code, held.handling]).toEqual(['Local.FileBusy', 'skip'])
    expect(held.message).toBe('Could not move into place C:\\rec\\x.wav: another program has it open, or it is read-only (EPERM)')
    expect((renameError(errno('EACCES'), 'C:\\rec\\x.wav', 'win32') as CccError).code).toBe('Local.FileBusy')
    expect((renameError(errno('EPERM'), '/rec/x.wav', 'linux') as CccError).code).toBe('Local.WriteFailed')
    expect((renameError(errno('ENOENT'), 'C:\\rec\\x.wav', 'win32') as CccError).code).toBe('Local.FileVanished')
  })

  it('passes our own errors and aborts through untouched', () => {
    const mine = new CccError({ code: 'BodyTruncated', message: 'x' })
    expect(localError(mine, 'write', 'f')).toBe(mine)
    const abort = new DOMException('stop', 'AbortError')
    expect(localError(abort, 'write', 'f')).toBe(abort)
  })
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-part-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ETAG = '"ABC"'
const bytes = (text: string) => Buffer.from(text)
/** A reply promising the whole object `content`, as OSS describes it. */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const versionOf = (content: string, etag: string | undefined = ETAG): ObjectVersion => ({ etag, total: content.length, crc64: crc64(bytes(content)) })

describe('the sidecar', () => {
  it('records and forgets the ETag, size and CRC-64', async () => {
    const file = path.join(dir, 'a.wav.part.etag')
    await writeSidecar(file, { etag: ETAG, size: 10, crc64: '123' })
    expect(await readSidecar(file)).toEqual({ etag: ETAG, size: 10, crc64: '123' })
    await writeSidecar(file, { etag: ETAG })
    expect(await readSidecar(file)).toEqual({ etag: ETAG })
    await writeSidecar(file, undefined)
    expect(await readSidecar(file)).toBeUndefined()
    expect(await readdir(dir)).toEqual([])
    expect(await sizeOf(file)).toBe(0)
  })
})

describe('PartFile', () => {
  const dest = () => path.join(dir, 'a.wav')

  it('opens what an earlier attempt left: its size, and the version its sidecar names', async () => {
    await writeFile(`${dest()}.part`, 'abcde')
    await writeFile(`${dest()}.part.etag`, `${ETAG}\n10\n`)
    const part = await PartFile.open(dest(), { etag: '"OTHER"' })
    expect([part.size, part.validator]).toEqual([5, ETAG])
  })

  it('falls back on a known ETag only when the sidecar is gone, and never resumes on a weak one', async () => {
    await writeFile(`${dest()}.part`, 'abcde')
    expect((await PartFile.open(dest(), { etag: ETAG })).validator).toBe(ETAG)
    expect((await PartFile.open(dest())).validator).toBeUndefined()
    await writeFile(`${dest()}.part.etag`, 'W/"weak"')
    expect((await PartFile.open(dest(), { etag: ETAG })).validator).toBeUndefined()
  })

  it('does not look when told the files are fresh, and names no version for an empty .part', async () => {
    await writeFile(`${dest()}.part`, 'abcde')
    await writeFile(`${dest()}.part.etag`, ETAG)
    expect((await PartFile.open(dest(), { fresh: true })).size).toBe(0)
    await writeFile(`${dest()}.part`, '')
    expect((await PartFile.open(dest())).validator).toBeUndefined()
  })

  it('resumes after exactly the kept bytes, and its CRC-64 covers the whole file', async () => {
    await writeFile(`${dest()}.part`, 'abcde')
    await writeFile(`${dest()}.part.etag`, ETAG)
    const part = await PartFile.open(dest())
    await part.resume(versionOf('abcdeXY'), () => {})
    // The sidecar now names the size and CRC-64 the reply announced, before any new byte.
    expect(await readSidecar(`${dest()}.part.etag`)).toEqual({ etag: ETAG, size: 7, crc64: crc64(bytes('abcdeXY')) })
    part.write(bytes('XY'))
    expect(part.size).toBe(7)
    await part.flush()
    await part.close()
    expect(await readFile(`${dest()}.part`, 'utf8')).toBe('abcdeXY')
    expect(part.crc64).toBe(crc64(bytes('abcdeXY')))
    expect(part.startedOver).toBe(false)
  })

  it('restarts from nothing, saying the old bytes were thrown away', async () => {
    await writeFile(`${dest()}.part`, 'stale bytes')
    const part = await PartFile.open(dest())
    await part.restart(versionOf('new'))
    part.write(bytes('new'))
    const done = await part.commit()
    expect(done).toEqual({ bytes: 3, crc64: crc64(bytes('new')), sha256: sha256('new') })
    expect(part.startedOver).toBe(true)
    expect(await readFile(dest(), 'utf8')).toBe('new')
  })

  it('writes no sidecar for a body written whole in one go', async () => {
    const part = await PartFile.open(dest(), { fresh: true })
    await part.restart(versionOf('whole'))
    part.write(bytes('whole'))
    await part.flush()
    expect(await readdir(dir)).toEqual(['a.wav.part'])
    await part.commit()
    expect(await readdir(dir)).toEqual(['a.wav'])
  })

  it('writes the sidecar before bytes that leave the .part incomplete, or that a later call will resume', async () => {
    const part = await PartFile.open(dest(), { fresh: true })
    await part.restart(versionOf('abcdef'))
    part.write(bytes('abc'))
    await part.flush()
    expect(await readSidecar(`${dest()}.part.etag`)).toEqual({ etag: ETAG, size: 6, crc64: crc64(bytes('abcdef')) })
    await part.close()

    const other = await PartFile.open(path.join(dir, 'b.wav'), { fresh: true })
    await other.restart(versionOf('xyz'))
    other.write(bytes('xyz'))
    await other.flush(true)
    expect(await readSidecar(path.join(dir, 'b.wav.part.etag'))).toEqual({ etag: ETAG, size: 3, crc64: crc64(bytes('xyz')) })
    await other.close()
  })

  it('removes a stale sidecar left without a .part before resumable bytes go down', async () => {
    await writeFile(`${dest()}.part.etag`, '"STALE"\n99\n1')
    const part = await PartFile.open(dest())
    await part.restart({ etag: undefined, total: undefined, crc64: undefined })
    part.write(bytes('abc'))
    await part.flush()
    expect(await readdir(dir)).toEqual(['a.wav.part'])
    await part.close()
  })

  it('commits by renaming over the destination, leaving only the final file', async () => {
    await writeFile(dest(), 'old')
    await writeFile(`${dest()}.part`, 'ne')
    await writeFile(`${dest()}.part.etag`, ETAG)
    const part = await PartFile.open(dest())
    await part.resume(versionOf('new'), () => {})
    part.write(bytes('w'))
    expect(await part.commit()).toEqual({ bytes: 3, crc64: crc64(bytes('new')), sha256: sha256('new') })
    expect(await readFile(dest(), 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['a.wav'])
    await part.close() // the committed handle is gone: closing again is harmless
  })

  // Windows keeps a file deleted while open "delete pending" until it is closed: the rename then
  // fails with EPERM (renameError's case), not ENOENT.
  it.skipIf(process.platform === 'win32')('fails the commit as Local.FileVanished when the .part was removed before its rename, leaving nothing', async () => {
    const part = await PartFile.open(dest(), { fresh: true })
    await part.restart(versionOf('whole'))
    part.write(bytes('whole'))
    await part.flush()
    await rm(`${dest()}.part`) // an antivirus quarantining it
    const e = await rejectionOf(part.commit(), CccError)
    expect([e.code, e.handling]).toEqual(['Local.FileVanished', 'retry'])
    expect(e.message).toContain(dest())
    expect(await readdir(dir)).toEqual([])
  })

  it('drops both files, and has nothing to resume afterwards', async () => {
    await writeFile(`${dest()}.part`, 'abc')
    await writeFile(`${dest()}.part.etag`, ETAG)
    const part = await PartFile.open(dest())
    await part.resume(versionOf('abcdef'), () => {})
    part.write(bytes('d'))
    await part.drop()
    expect(await readdir(dir)).toEqual([])
    expect([part.size, part.validator, part.startedOver]).toEqual([0, undefined, true])
  })

  it('commits a whole .part its sidecar vouches for, and keeps one whose bytes disagree', async () => {
    await writeFile(`${dest()}.part`, 'abcdef')
    await writeFile(`${dest()}.part.etag`, `${ETAG}\n6\n${crc64(bytes('abcdeX'))}`)
    const bad = await PartFile.open(dest())
    expect(await bad.commitIfWhole(() => {})).toBeUndefined()
    expect((await readdir(dir)).sort()).toEqual(['a.wav.part', 'a.wav.part.etag'])

    await writeFile(`${dest()}.part.etag`, `${ETAG}\n6\n${crc64(bytes('abcdef'))}`)
    const good = await PartFile.open(dest())
    // The prefix read back for its CRC gives its SHA-256 too.
    expect(await good.commitIfWhole(() => {})).toEqual({ bytes: 6, crc64: crc64(bytes('abcdef')), sha256: sha256('abcdef'), etag: ETAG })
    expect(await readdir(dir)).toEqual(['a.wav'])
  })

  it('reports a file where its folder goes as Local.FileInTheWay (that recording only), naming the file', async () => {
    await writeFile(path.join(dir, 'blocker'), 'x')
    const dest = path.join(dir, 'blocker', 'deeper', 'a.wav')
    const looked = await rejectionOf(PartFile.open(dest), CccError)
    const part = await PartFile.open(dest, { fresh: true })
    const created = await rejectionOf(part.restart(versionOf('x')), CccError)
    expect([looked.code, created.code]).toEqual(['Local.FileInTheWay', 'Local.FileInTheWay'])
    expect(created.message).toBe(`${path.join(dir, 'blocker')} is a file, where the folder of ${dest} goes: it is left alone`)
    expect(await readFile(path.join(dir, 'blocker'), 'utf8')).toBe('x')
  })
})

/** The open flags of this process's descriptor for `file` (Linux: /proc/self/fdinfo). */
async function openFlags(file: string): Promise<number> {
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
    if (target !== file) continue
    const m = /^flags:\s+([0-7]+)$/m.exec(await readFile(`/proc/self/fdinfo/${fd}`, 'utf8'))
    if (m) return parseInt(m[1]!, 8)
  }
  throw new Error(`${file} is not open`)
}

describe.runIf(process.platform === 'linux')('durable writes instead of an fsync', () => {
  const dest = () => path.join(dir, 'a.wav')
  const { O_DSYNC } = fsConstants

  it('opens a recording that fits one write with O_DSYNC, and commits it whole', async () => {
    const body = 'x'.repeat(300 * 1024)
    const part = await PartFile.open(dest(), { fresh: true })
    await part.restart(versionOf(body))
    expect((await openFlags(`${dest()}.part`)) & O_DSYNC).toBe(O_DSYNC)
    part.write(bytes(body))
    expect(await part.commit()).toEqual({ bytes: body.length, crc64: crc64(bytes(body)), sha256: sha256(body) })
    expect(await readFile(dest(), 'utf8')).toBe(body)
  })

  it('made with O_EXCL, and when a stale .part is in the way, truncates it and still writes durably', async () => {
    const body = 'z'.repeat(200 * 1024)
    await writeFile(`${dest()}.part`, 'q'.repeat(400 * 1024))
    const part = await PartFile.open(dest(), { fresh: true })
    await part.restart(versionOf(body))
    expect((await openFlags(`${dest()}.part`)) & O_DSYNC).toBe(O_DSYNC)
    part.write(bytes(body))
    expect(await part.commit()).toEqual({ bytes: body.length, crc64: crc64(bytes(body)), sha256: sha256(body) })
    expect(await readFile(dest(), 'utf8')).toBe(body)
  })

  it('keeps write-then-fsync for a recording of several writes, for one of unknown length, and for a resume', async () => {
    const big = await PartFile.open(dest(), { fresh: true })
    await big.restart(versionOf('y'.repeat(600 * 1024)))
    expect((await openFlags(`${dest()}.part`)) & O_DSYNC).toBe(0)
    await big.close()
    const unknown = await PartFile.open(dest())
    await unknown.restart({ etag: ETAG, total: undefined, crc64: undefined })
    expect((await openFlags(`${dest()}.part`)) & O_DSYNC).toBe(0)
    await unknown.close()
    await writeFile(`${dest()}.part`, 'abcde')
    await writeFile(`${dest()}.part.etag`, ETAG)
    const resumed = await PartFile.open(dest())
    await resumed.resume(versionOf('abcdeXY'), () => {})
    expect((await openFlags(`${dest()}.part`)) & O_DSYNC).toBe(0)
    await resumed.close()
  })
})
