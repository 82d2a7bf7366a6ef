import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import type { SimOptions } from '../sim/types.ts'

export interface CliFixture {
  /** The simulator, for the whole file; its statistics are cleared before each test. */
  readonly sim: Sim
  /** A fresh folder per test, removed after it. */
  readonly work: string
  /** The CLI's environment: the simulator's credentials and a config folder of the test's own. */
  readonly env: Record<string, string>
}

/** What a CLI test file needs around the real bin: a simulator, a folder, credentials in the environment. */
export function cliFixture(prefix: string, options: { sim?: SimOptions; calls?: (sim: Sim) => void } = {}): CliFixture {
  const f = {} as { sim: Sim; work: string; env: Record<string, string> }
  beforeAll(async () => {
    f.sim = await startSim(options.sim)
    options.calls?.(f.sim)
  })
  afterAll(() => f.sim.close())
  beforeEach(async (ctx) => {
    f.work = await mkdtemp(join(tmpdir(), prefix))
    f.env = { ALIBABA_CLOUD_ACCESS_KEY_ID: f.sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: f.sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(f.work, 'config') }
    f.sim.resetStats()
    ctx.onTestFinished(() => rm(f.work, { recursive: true, force: true }))
  })
  return f
}
