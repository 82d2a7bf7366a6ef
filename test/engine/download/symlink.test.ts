import { execFileSync } from 'node:child_process'
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { downloadObject } from '../../../main/engine/download/fetch-object.ts'
import { rejectionOf } from '../../rejection.ts'
import { startSim, type Sim } from '../../sim/index.ts'
import { signedUrlFor } from './sim-url.ts'

/**
 * Issue 17 item 4: a link planted where the export writes (`<dest>.part`, its sidecar, the
 * destination itself) is never written through. The target outside the folder stays as it was;
 * the working files end up regular files, and a link at the destination fails the file instead.
 */

const posix = process.platform !== 'win32'
let sim: Sim
let root: string
let out: string
let outside: string
let n = 0

beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ccc-link-'))
  out = path.join(root, 'export')
  outside = path.join(root, 'outside.txt')
  await mkdir(out)
  await writeFile(outside, 'not yours')
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

function newName(size = 40_000): string {
  const name = `16312849114340008032${String(++n).padStart(4, '0')}.wav`
  sim.setSize(name, size)
  return name
}

async function isRegular(file: string): Promise<boolean> {
  return (await lstat(file)).isFile()
}

describe.runIf(posix)('links planted in the output folder', () => {
  it.each([
    ['looked for', false],
    ['not looked for (a fresh export)', true],
  ])('a link at <dest>.part, %s, is replaced, its target untouched', async (_how, fresh) => {
    const name = newName()
    const dest = path.join(out, name)
    await symlink(outside, `${dest}.part`)
    await downloadObject({ url: await signedUrlFor(sim, name), dest, fresh })
    expect(await readFile(outside, 'utf8')).toBe('not yours')
    expect(await isRegular(dest)).toBe(true)
    expect((await readFile(dest)).equals(sim.content(name))).toBe(true)
  })

  it('a link at the sidecar is neither read nor written through', async () => {
    const name = newName()
    const dest = path.join(out, name)
    const url = await signedUrlFor(sim, name)
    await symlink(outside, `${dest}.part.etag`)
    // A cut leaves the .part for a resume, so its sidecar is written.
    sim.fault(name, { kind: 'truncate', afterBytes: 10_000 })
    expect((await rejectionOf(downloadObject({ url, dest })) as CccError).code).toBe('BodyTruncated')
    expect(await readFile(outside, 'utf8')).toBe('not yours')
    expect(await isRegular(`${dest}.part.etag`)).toBe(true)
    const result = await downloadObject({ url, dest })
    expect(result.resumedFrom).toBe(10_000)
    expect((await readFile(dest)).equals(sim.content(name))).toBe(true)
  })

  it('a link at the destination is not replaced: the file fails with Local.NotAFile', async () => {
    const name = newName()
    const dest = path.join(out, name)
    await symlink(outside, dest)
    const e = await rejectionOf(downloadObject({ url: await signedUrlFor(sim, name), dest }))
    expect(e).toBeInstanceOf(CccError)
    expect((e as CccError).code).toBe('Local.NotAFile')
    expect((e as CccError).handling).toBe('skip')
    expect(await readlink(dest)).toBe(outside)
    expect(await readFile(outside, 'utf8')).toBe('not yours')
  })

  it('a FIFO at <dest>.part neither hangs the download nor stays', async () => {
    const name = newName()
    const dest = path.join(out, name)
    try {
      execFileSync('mkfifo', [`${dest}.part`])
    } catch {
      return // no mkfifo here: nothing to plant
    }
    await downloadObject({ url: await signedUrlFor(sim, name), dest, fresh: true })
    expect(await isRegular(dest)).toBe(true)
    expect((await readFile(dest)).equals(sim.content(name))).toBe(true)
  })

  it('a folder at <dest>.part fails the file clearly and is left alone', async () => {
    const name = newName()
    const dest = path.join(out, name)
    await mkdir(`${dest}.part`)
    const e = await rejectionOf(downloadObject({ url: await signedUrlFor(sim, name), dest }))
    expect(e).toBeInstanceOf(CccError)
    expect((e as CccError).code).toBe('Local.NotAFile')
    expect((await lstat(`${dest}.part`)).isDirectory()).toBe(true)
  })
})
