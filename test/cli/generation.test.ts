import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { runCli } from './run-cli.ts'

// Issue 14 item 1 in the CLI: a download in the wrong API generation stops (exit 4) saying which
// generation the instance seems to be, in the catalog's words, rather than "instance does not exist".
let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01', instanceId: 'ccc-cli-gen' })
  work = await mkdtemp(join(tmpdir(), 'cli-generation-'))
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

describe('the CLI and the wrong API generation', () => {
  it('a 1.0 download of a 2.0 instance stops with Api.InstanceIsV2 and says to use 2020-07-01', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'), LANG: 'en_US.UTF-8' }
    const r = await runCli(['download', '--out', join(work, 'out'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '-'], env, 'job-1.wav\n')
    expect(r.code).toBe(4)
    const text = r.stdout + r.stderr
    expect(text).toMatch(/Api\.InstanceIsV2/)
    expect(text).toMatch(/2020-07-01/)
    // resume keeps the folder's generation: the next step is the download again, with the version.
    expect(text).toContain('Run the download again with the API version named above (--api-version')
    expect(text).not.toContain('ccc-recordings resume')
  })
})
