import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'

// A journal and report written by the runner at 1f11ba0, before the export-service refactor
// (fixtures/journal-1f11ba0/README.md): an export started then must resume now.
const fixture = join(import.meta.dirname, 'fixtures', 'journal-1f11ba0')
const journal = await readFile(join(fixture, 'journal.jsonl'), 'utf8')
const header = JSON.parse(journal.slice(0, journal.indexOf('\n'))) as { instanceId: string }
const verified = { '1790812800000-a.wav': '2026/10/01', '1790812800000-b.wav': '2026/10/01', '1790899200000-c.wav': '2026/10/02', 'plain-d.wav': 'unknown-date' }

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ instanceId: header.instanceId })
  sim.remove('gone-e.wav')
  out = await mkdtemp(join(tmpdir(), 'compat-'))
  await mkdir(dirname(journalPath(out)), { recursive: true })
  await writeFile(journalPath(out), journal)
  await writeFile(join(out, 'report.csv'), await readFile(join(fixture, 'report.csv')))
  // The files the old run verified, where it put them.
  for (const [name, folder] of Object.entries(verified)) {
    await mkdir(join(out, folder), { recursive: true })
    await writeFile(join(out, folder, name), sim.content(name))
  }
})
afterAll(async () => {
  await sim.close()
  await rm(out, { recursive: true, force: true })
})

it('reads the old journal as it was: options, counts, the failure and its code', async () => {
  const status = await readExportStatus(out)
  // Its last state line says finished, but two names were added after it and never run: work
  // left, which status reads as paused (resumable) since the stop that made retries after a
  // finish resumable.
  expect(status).toMatchObject({ instanceId: header.instanceId, profile: 'fixture', state: 'paused' })
  expect(status?.counts).toMatchObject({ total: 7, done: 4, failed: 1, queued: 2 })
  expect(status?.failures).toEqual([{ code: 'NotExist.Record', count: 1, sample: 'The specified recording gone-e.wav does not exist.' }])
})

it('resumes it: the two names added later are downloaded, the verified files are not fetched again', async () => {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  const runner = await ExportRunner.open(out, { client, backoff: { baseMs: 5, capMs: 50 } })
  expect(runner.header.options).toEqual({ concurrency: 3, layout: 'by-date', maxBytesPerSecond: 1048576 })
  expect(await runner.run()).toBe('finished')
  await runner.close()
  expect([...sim.stats.downloadRecordingCalls.keys()].sort()).toEqual(['later-f.wav', 'later-g.wav'])
  for (const name of ['later-f.wav', 'later-g.wav']) expect((await readFile(join(out, 'unknown-date', name))).equals(sim.content(name))).toBe(true)
  expect(runner.progress().counts).toMatchObject({ total: 7, done: 6, failed: 1 })
  const report = await readFile(join(out, 'report.csv'), 'utf8')
  expect(report).toContain('gone-e.wav,failed,0,,NotExist.Record,')
  expect(report).toContain('later-g.wav,done,')
  expect((await readdir(join(out, 'unknown-date'))).sort()).toEqual(['later-f.wav', 'later-g.wav', 'plain-d.wav'])
})
