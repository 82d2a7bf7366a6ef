import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { playUrl } from '../../main/common/play-url.ts'
import { byteRange, playPath, playResponse } from '../../main/electron/play-access.ts'

let root: string
let out: string
let other: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ccc-play-'))
  out = join(root, 'export')
  other = join(root, 'other')
  await mkdir(join(out, '2026-03', '张三'), { recursive: true })
  await mkdir(other)
  await writeFile(join(out, '2026-03', '张三', 'a b#1.wav'), 'RIFF')
  await writeFile(join(other, 'secret.wav'), 'RIFF')
  await symlink(join(other, 'secret.wav'), join(out, 'link.wav'))
  await symlink(other, join(out, 'linked-dir'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

const raw = (dir: string, path: string): string => `ccc-rec://play/?dir=${encodeURIComponent(dir)}&path=${path}`

describe('which file a play URL may read', () => {
  it('serves a file inside a known export folder, Chinese folders, spaces and # included', async () => {
    expect(await playPath(playUrl(out, '2026-03/张三/a b#1.wav'), [out])).toEqual({ ok: true, path: expect.stringMatching(/a b#1\.wav$/) })
  })

  it('refuses a folder the app does not know, even when the file exists', async () => {
    expect(await playPath(playUrl(other, 'secret.wav'), [out])).toMatchObject({ ok: false, status: 403 })
  })

  it('refuses .. segments, plain, percent-encoded, with backslashes, and absolute paths', async () => {
    for (const url of [
      playUrl(out, '../other/secret.wav'),
      raw(out, '%2E%2E%2Fother%2Fsecret.wav'),
      raw(out, '2026-03%2F..%2F..%2Fother%2Fsecret.wav'),
      playUrl(out, '..\\other\\secret.wav'),
      playUrl(out, join(other, 'secret.wav')),
      playUrl(out, 'C:\\Windows\\win.ini'),
      playUrl(`${out}/../other`, 'secret.wav'),
    ]) {
      expect(await playPath(url, [out]), url).toMatchObject({ ok: false, status: 403 })
    }
  })

  it('takes a twice-encoded .. as a name, which is not there', async () => {
    expect(await playPath(raw(out, '%252E%252E%252Fother%252Fsecret.wav'), [out])).toMatchObject({ ok: false, status: 404 })
  })

  it('refuses a symlink that leads out of the folder, to a file or through a folder', async () => {
    expect(await playPath(playUrl(out, 'link.wav'), [out])).toMatchObject({ ok: false, status: 403 })
    expect(await playPath(playUrl(out, 'linked-dir/secret.wav'), [out])).toMatchObject({ ok: false, status: 403 })
  })

  it('refuses other schemes and hosts, folders themselves, missing files and NUL bytes', async () => {
    expect(await playPath(playUrl(out, 'a.wav').replace('ccc-rec:', 'file:'), [out])).toMatchObject({ ok: false, status: 400 })
    expect(await playPath(playUrl(out, 'a.wav').replace('//play/', '//evil/'), [out])).toMatchObject({ ok: false, status: 400 })
    expect(await playPath('not a url', [out])).toMatchObject({ ok: false, status: 400 })
    expect(await playPath(playUrl(out, '2026-03'), [out])).toMatchObject({ ok: false, status: 404 })
    expect(await playPath(playUrl(out, 'missing.wav'), [out])).toMatchObject({ ok: false, status: 404 })
    expect(await playPath(raw(out, 'a.wav%00.txt'), [out])).toMatchObject({ ok: false, status: 400 })
    expect(await playPath(playUrl(out, ''), [out])).toMatchObject({ ok: false, status: 400 })
  })
})

describe('the bytes a play URL answers with', () => {
  it('reads a Range header as media elements send it', () => {
    expect(byteRange(null, 100)).toBeNull()
    expect(byteRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 })
    expect(byteRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 })
    expect(byteRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 })
    expect(byteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 })
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable')
    expect(byteRange('bytes=5-1', 100)).toBe('unsatisfiable')
    expect(byteRange('bytes=0-1,5-6', 100)).toBeNull()
    expect(byteRange('items=0-1', 100)).toBeNull()
  })

  it('serves the whole file, a part of it for a seek, and refusals with their status', async () => {
    const url = playUrl(out, '2026-03/张三/a b#1.wav')
    const whole = await playResponse(url, null, [out])
    expect(whole.status).toBe(200)
    expect(whole.headers.get('content-type')).toBe('audio/wav')
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(await whole.text()).toBe('RIFF')
    const part = await playResponse(url, 'bytes=1-2', [out])
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe('bytes 1-2/4')
    expect(part.headers.get('content-length')).toBe('2')
    expect(await part.text()).toBe('IF')
    expect((await playResponse(url, 'bytes=9-', [out])).status).toBe(416)
    expect((await playResponse(playUrl(out, 'link.wav'), null, [out])).status).toBe(403)
    expect((await playResponse(playUrl(other, 'secret.wav'), null, [out])).status).toBe(403)
  })
})
