import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { isKnownCode } from '../../../main/common/error-catalog.ts'
import { type CccError, isCccError } from '../../../main/common/errors.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { getMonoRecording } from '../../../main/engine/ccc/v2/recordings.ts'
import { decide } from '../../../main/engine/export/decide.ts'
import { ExportRunner, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { V2_ERRORS, type V2ErrorCode } from '../../sim/v2-errors.ts'

// Issue 14 item 5: the errors the 2020-07-01 actions document, as the simulator answers them,
// reach the engine as catalog codes with the decision the catalog's handling calls for.
let sim: Sim
beforeAll(async () => {
  sim = await startSim({ apiVersion: API_V2, instanceId: 'ccc-errors', defaultSize: () => 64 })
  sim.addCall({ contactId: 'job-71', startTime: Date.UTC(2026, 0, 5), recordings: ['job-71-a.wav'] })
  sim.addCall({ contactId: 'job-72', startTime: Date.UTC(2026, 0, 5), recordings: ['job-72-a.wav'] })
})
afterAll(() => sim.close())

const client = () => new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret }, version: API_V2 })

async function failure(run: () => Promise<unknown>): Promise<CccError> {
  const e = await run().then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!isCccError(e)) throw new Error(`expected a CccError, got ${String(e)}`)
  return e
}

// What each code does to an export: a parameter the service refuses fails that one file (the
// others may pass); an instance the service does not know stops the export once.
const EXPECTED: Record<V2ErrorCode, ReturnType<typeof decide>> = {
  'Parameter.Blank': { kind: 'fail' },
  'Parameter.Empty': { kind: 'fail' },
  'Parameter.Null': { kind: 'fail' },
  'Parameter.Minimum': { kind: 'fail' },
  'Parameter.Format': { kind: 'fail' },
  'NotExists.InstanceId': { kind: 'stop' },
}

describe('CCC 2.0 error codes', () => {
  it.each(Object.keys(V2_ERRORS) as V2ErrorCode[])('%s: a catalog code with its status, and the right decision', async (code) => {
    sim.fault('job-71.wav', { kind: 'api-v2-error', code })
    const e = await failure(() => getMonoRecording(client(), sim.instanceId, 'job-71'))
    expect({ code: e.code, status: e.status }).toEqual({ code, status: V2_ERRORS[code].status })
    expect(isKnownCode(e.code)).toBe(true)
    expect(e.requestId).toBeTruthy()
    expect(decide(e, 1)).toEqual(EXPECTED[code])
  })

  it('the simulator raises them by itself: an unknown instance, a blank contact ID, a lifetime below 1 s', async () => {
    const unknown = await failure(() => getMonoRecording(client(), 'no-such-instance', 'job-71'))
    expect({ code: unknown.code, status: unknown.status, decision: decide(unknown, 1) }).toEqual({ code: 'NotExists.InstanceId', status: 404, decision: { kind: 'stop' } })
    const blank = await failure(() => getMonoRecording(client(), sim.instanceId, ' '))
    expect({ code: blank.code, decision: decide(blank, 1) }).toEqual({ code: 'Parameter.Blank', decision: { kind: 'fail' } })
    const short = await failure(() => client().call('GetMonoRecording', { InstanceId: sim.instanceId, ContactId: 'job-71', ExpireSeconds: '0' }))
    expect(short.code).toBe('Parameter.Minimum')
    expect(short.message).toBe('The parameter ExpireSeconds must be greater than or equal to 1.')
  })

  it('in an export: Parameter.Format fails its one file, the next is downloaded; NotExists.InstanceId stops the export', async () => {
    const deps: RunnerDeps = { client: client(), backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 5000 }, progressIntervalMs: 50, syncFolder: async () => {} }
    const options = { concurrency: 4, layout: 'flat', maxBytesPerSecond: null } as const
    const out = await mkdtemp(join(tmpdir(), 'v2-errors-'))
    try {
      sim.fault('job-71.wav', { kind: 'api-v2-error', code: 'Parameter.Format' })
      const runner = await ExportRunner.open(join(out, 'a'), deps, { instanceId: sim.instanceId, source: { kind: 'contacts', api: API_V2 }, options })
      runner.addContacts(['job-71', 'job-72'])
      expect(await runner.run()).toBe('finished')
      await runner.close()
      expect(runner.progress().counts).toMatchObject({ done: 1, failed: 1 })
      const report = await readFile(join(out, 'a', 'report.csv'), 'utf8')
      expect(report).toMatch(/job-71\.wav,failed,[^\n]*Parameter\.Format/)

      const stopped = await ExportRunner.open(join(out, 'b'), deps, { instanceId: 'not-this-instance', source: { kind: 'contacts', api: API_V2 }, options })
      stopped.addContacts(['job-71', 'job-72'])
      expect(await stopped.run()).toBe('stopped')
      await stopped.close()
      expect(stopped.progress().reason?.code).toBe('NotExists.InstanceId')
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
