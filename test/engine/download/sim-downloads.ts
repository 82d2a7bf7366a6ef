/**
 * What the tests that fetch from the simulator share: one simulator for the test file and the
 * CLI's http client beside global fetch, both closed after the file's tests; for the downloader's
 * tests also a temp folder per test and a fresh object name per test.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { createNodeFetch, type NodeFetch } from '../../../main/engine/net/node-fetch.ts'
import { rejectionOf } from '../../rejection.ts'
import { type Sim, startSim } from '../../sim/index.ts'

export interface SimFetch {
  /** Started before the file's first test, closed after its last. */
  readonly sim: Sim
  /** Made when the file loads (describe.each lists its fetch), closed after the file's tests. */
  readonly nodeFetch: NodeFetch
}

/** Registers the hooks: call at the top of a test file. */
export function simAndNodeFetch(): SimFetch {
  let sim: Sim | undefined
  const nodeFetch = createNodeFetch()
  beforeAll(async () => {
    sim = await startSim()
  })
  afterAll(async () => {
    nodeFetch.close()
    await sim?.close()
  })
  return {
    get sim() {
      if (sim === undefined) throw new Error('the simulator starts in beforeAll')
      return sim
    },
    nodeFetch,
  }
}

export interface SimDownloads extends SimFetch {
  /** A temp folder made before each test and removed after it. */
  readonly dir: string
  /** A fresh object name per call, `size` bytes in the simulator, so faults and stats never leak between tests. */
  newName(size?: number): string
}

/**
 * As simAndNodeFetch, with a folder per test named `<folder>…` and object names that start with
 * `names` (20 digits, as CCC's) and are `size` bytes unless a test says otherwise.
 */
export function simDownloads(options: { folder: string; names: string; size: number }): SimDownloads {
  const fetching = simAndNodeFetch()
  let dir: string | undefined
  let n = 0
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), options.folder))
  })
  afterEach(async () => {
    await rm(dir!, { recursive: true, force: true })
  })
  return {
    get sim() {
      return fetching.sim
    },
    nodeFetch: fetching.nodeFetch,
    get dir() {
      if (dir === undefined) throw new Error('the folder is made in beforeEach')
      return dir
    },
    newName(size = options.size) {
      const name = `${options.names}${String(++n).padStart(4, '0')}.wav`
      fetching.sim.setSize(name, size)
      return name
    },
  }
}

/** Awaits a rejection that must be a CccError with `code`, and returns it. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<CccError> {
  const e = await rejectionOf(p)
  expect(e).toBeInstanceOf(CccError)
  expect((e as CccError).code).toBe(code)
  return e as CccError
}
