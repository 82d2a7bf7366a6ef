import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { type Sim, type SimOptions, startSim } from '../sim/index.ts'

export interface KeyringCli {
  readonly sim: Sim
  /** A temp folder of the file's own; the CLI's config folder is `config` inside it. */
  readonly work: string
  /** What the CLI runs with: that config folder, and the private test keyring's session. */
  readonly env: Record<string, string>
}

/**
 * For a file of CLI tests against the real test keyring: one simulator and one config folder for
 * the whole file, undone after it.
 */
export function keyringCli(prefix: string, options: SimOptions): KeyringCli {
  let current: KeyringCli | undefined
  beforeAll(async () => {
    const sim = await startSim(options)
    const work = await mkdtemp(join(tmpdir(), prefix))
    const env = {
      CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'),
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
      XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? '',
    }
    current = { sim, work, env }
  })
  afterAll(async () => {
    await current?.sim.close()
    if (current) await rm(current.work, { recursive: true, force: true })
  })
  const now = (): KeyringCli => {
    if (!current) throw new Error('keyringCli: used outside a test')
    return current
  }
  return {
    get sim() {
      return now().sim
    },
    get work() {
      return now().work
    },
    get env() {
      return now().env
    },
  }
}
