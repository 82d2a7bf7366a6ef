import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { ExportProgress } from '../../../main/common/progress.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'

let out: string | undefined
let sims: Sim[] = []
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close().catch(() => undefined)))
  sims = []
  if (out) await rm(out, { recursive: true, force: true })
})

const names = Array.from({ length: 40 }, (_, i) => `outage-${String(i).padStart(2, '0')}.wav`)

// Issue 17, item 13: a 2-minute outage used to fail files for good after six tries each. Here
// the CCC gateway and OSS (one simulator) go away mid-export for longer than six tries of every
// file, then come back on the same port; the export must wait, and finish with nothing failed.
it('waits out a network outage without failing a file, and carries on by itself', async () => {
  const first = await startSim()
  sims.push(first)
  const port = Number(new URL(first.endpoint).port)
  const identity = { instanceId: first.instanceId, accessKeyId: first.accessKeyId, accessKeySecret: first.accessKeySecret }
  out = await mkdtemp(join(tmpdir(), 'outage-'))
  const client = new CccClient({ endpoint: first.endpoint, credentials: { accessKeyId: first.accessKeyId, accessKeySecret: first.accessKeySecret } })
  const runner = await ExportRunner.open(
    out,
    { client, backoff: { baseMs: 2, capMs: 20 }, progressIntervalMs: 10, network: { threshold: 3, baseMs: 20, capMs: 80 } },
    // The bandwidth cap keeps the export running long enough to be cut off in the middle.
    { instanceId: first.instanceId, source: { kind: 'names' }, options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: 512 * 1024 } },
  )
  runner.add(names)

  const phases: string[] = []
  let probes = 0
  let lastProbe: string | undefined
  const cameBack = new Promise<void>((resolve, reject) => {
    runner.onProgress((p: ExportProgress) => {
      if (phases.length === 0 && p.counts.done >= 4) {
        phases.push('down')
        first.close().catch(reject)
      }
      if (p.network?.nextProbeAt && p.network.nextProbeAt !== lastProbe) {
        lastProbe = p.network.nextProbeAt
        probes++
      }
      // Down for more probes than a file has attempts: without the gate, files would fail.
      if (phases.length === 1 && probes >= 8) {
        phases.push('up')
        startSim({ ...identity, port }).then((s) => {
          sims.push(s)
          resolve()
        }, reject)
      }
    })
  })
  const ended = await runner.run()
  await cameBack
  await runner.close()
  expect(phases).toEqual(['down', 'up'])
  expect(ended).toBe('finished')
  expect({ counts: runner.progress().counts, failures: runner.progress().failures }).toMatchObject({ counts: { done: names.length, failed: 0 } })
  expect(runner.progress().network).toBeUndefined()
  for (const name of names) expect((await readFile(join(out, name))).equals(first.content(name)), name).toBe(true)
}, 30_000)
