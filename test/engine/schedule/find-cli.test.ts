import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findCommandLine } from '../../../main/engine/schedule/find-cli.ts'

let work: string
let bin: string
beforeEach(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'find-cli-')))
  bin = join(work, 'bin')
  await mkdir(bin)
})
afterEach(() => rm(work, { recursive: true, force: true }))

async function executable(path: string): Promise<void> {
  await writeFile(path, '#!/bin/sh\n')
  await chmod(path, 0o755)
}

describe.skipIf(process.platform === 'win32')('findCommandLine', () => {
  it("runs npm's shim as its script under the node on PATH: a job's own PATH may find no node", async () => {
    await executable(join(bin, 'node'))
    await mkdir(join(work, 'lib'))
    await executable(join(work, 'lib', 'ccc-recordings.js'))
    await symlink(join(work, 'lib', 'ccc-recordings.js'), join(bin, 'ccc-recordings'))
    expect(await findCommandLine({ PATH: `/nonexistent:${bin}` }, 'linux')).toEqual([join(bin, 'node'), join(work, 'lib', 'ccc-recordings.js')])
  })

  it("uses a checkout's own bin when nothing is installed, and says none when there is no node either", async () => {
    const checkout = join(work, 'ccc-recordings.js')
    await writeFile(checkout, '')
    expect(await findCommandLine({ PATH: bin }, 'linux', checkout)).toBeUndefined()
    await executable(join(bin, 'node'))
    expect(await findCommandLine({ PATH: bin }, 'linux', checkout)).toEqual([join(bin, 'node'), checkout])
    expect(await findCommandLine({ PATH: bin }, 'linux', join(work, 'missing.js'))).toBeUndefined()
    expect(await findCommandLine({ PATH: bin }, 'linux')).toBeUndefined()
  })

  it("takes Windows' .cmd shim as it is, from a semicolon-separated Path", async () => {
    await writeFile(join(bin, 'ccc-recordings.cmd'), '@echo off\r\n')
    expect(await findCommandLine({ Path: `C:\\nowhere;${bin}` }, 'win32')).toEqual([join(bin, 'ccc-recordings.cmd')])
  })
})
