import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { safeLocalName } from '../../../main/engine/download/local-path.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { simAndFolder, simClient } from './sim-folder.ts'

/** Issue 17 item 3 through the runner: names that used to land on one file are two recordings. */

const at = simAndFolder('names-')

it('downloads x.wav.part beside x.wav~<hash>, and a:b.wav beside a literal a_b~<hash>.wav, each to its own file', async () => {
  const hash = /~([0-9a-f]{8})/.exec(safeLocalName('x.wav.part'))![1]!
  const list = ['x.wav.part', `x.wav~${hash}`, 'a:b.wav', safeLocalName('a:b.wav'), 'Case.wav', 'case.wav']
  const client = simClient(at.sim)
  const runner = await ExportRunner.open(at.dir, { client, backoff: { baseMs: 5, capMs: 50 } }, {
    instanceId: at.sim.instanceId,
    source: { kind: 'names' },
    options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null },
  })
  runner.add(list)
  expect(await runner.run()).toBe('finished')
  await runner.close()
  const done = (await readFile(journalPath(at.dir), 'utf8'))
    .split('\n')
    .filter((l) => l.includes('"type":"done"'))
    .map((l) => JSON.parse(l) as { name: string; path: string })
  expect(done).toHaveLength(list.length)
  const folded = new Set(done.flatMap((d) => [d.path, `${d.path}.part`].map((p) => p.toLowerCase())))
  expect(folded.size).toBe(list.length * 2)
  for (const { name, path } of done) {
    expect((await readFile(join(at.dir, path))).equals(at.sim.content(name)), name).toBe(true)
  }
})
