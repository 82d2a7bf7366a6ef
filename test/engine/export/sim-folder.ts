/**
 * What the export tests against the simulator share: one simulator for the test file, a fresh
 * temp folder for each test, and the client and Exports service signed with the simulator's key.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import type { ExportUpdate } from '../../../main/common/progress.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { type Connection, Exports } from '../../../main/engine/export/exports.ts'
import { type Sim, startSim } from '../../sim/index.ts'

export interface SimFolder {
  /** Started before the file's first test, closed after its last; stats reset before each test. */
  readonly sim: Sim
  /** A temp folder made before each test (`<prefix>…`) and removed after it. */
  readonly dir: string
}

/** Registers the hooks: call at the top of a test file. Later afterEach hooks run before the folder goes. */
export function simAndFolder(prefix: string): SimFolder {
  let sim: Sim | undefined
  let dir: string | undefined
  beforeAll(async () => {
    sim = await startSim()
  })
  afterAll(() => sim?.close())
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix))
    sim!.resetStats()
  })
  afterEach(() => rm(dir!, { recursive: true, force: true }))
  return {
    get sim() {
      if (sim === undefined) throw new Error('the simulator starts in beforeAll')
      return sim
    },
    get dir() {
      if (dir === undefined) throw new Error('the folder is made in beforeEach')
      return dir
    },
  }
}

/** A client signed with the simulator's own key. */
export function simClient(sim: Sim): CccClient {
  return new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
}

/** The Exports service on the simulator, with fast backoff and progress; `asked` sees each connection it opens. */
export function simExports(sim: Sim, hooks: { asked?: (connection: Connection) => void; onProgress?: (update: ExportUpdate) => void } = {}): Exports {
  return new Exports({
    clientFor: async (connection) => {
      hooks.asked?.(connection)
      return { client: simClient(sim) }
    },
    tuning: { backoff: { baseMs: 5, capMs: 50 }, progressIntervalMs: 20 },
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  })
}
