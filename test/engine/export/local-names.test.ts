import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { safeLocalName } from '../../../main/engine/download/local-path.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'

/** Issue 17 item 3 through the runner: names that used to land on one file are two recordings. */

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'names-'))
})
afterEach(() => rm(out, { recursive: true, force: true }))

it('downloads x.wav.part beside x.wav~<hash>, and a:b.wav beside a literal a_b~<hash>.wav, each to its own file', async () => {
  const hash = /~([0-9a-f]{8})/.exec(safeLocalName('x.wav.part'))![1]!
  const list = ['x.wav.part', `x.wav~${hash}`, 'a:b.wav', safeLocalName('a:b.wav'), 'Case.wav', 'case.wav']
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  const runner = await ExportRunner.open(out, { client, backoff: { baseMs: 5, capMs: 50 } }, {
    instanceId: sim.instanceId,
    source: { kind: 'names' },
    options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null },
  })
  runner.add(list)
  expect(await runner.run()).toBe('finished')
  await runner.close()
  const done = (await readFile(journalPath(out), 'utf8'))
    .split('\n')
    .filter((l) => l.includes('"type":"done"'))
    .map((l) => JSON.parse(l) as { name: string; path: string })
  expect(done).toHaveLength(list.length)
  const folded = new Set(done.flatMap((d) => [d.path, `${d.path}.part`].map((p) => p.toLowerCase())))
  expect(folded.size).toBe(list.length * 2)
  for (const { name, path } of done) {
    expect((await readFile(join(out, path))).equals(sim.content(name)), name).toBe(true)
  }
})
