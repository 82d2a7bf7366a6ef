import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { filesUnder } from '../engine/export/listing-helpers.ts'
import { cliFixture } from './cli-fixture.ts'
import { runCli } from './run-cli.ts'

// A sync folder's connection is sync.json's, as the README says: an instance corrected there (or,
// before a window completed, on the command line) is the one CCC is asked for, never the journal's
// old one; and a damaged sync.json stops sync, not status.

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

const f = cliFixture('cli-sync-conn-', {
  sim: { defaultSize: () => 700 },
  calls: (sim) => {
    sim.addCall({ contactId: 'n-1', startTime: Date.now() - 5 * HOUR, recordings: ['n-1.wav'] })
    sim.addCall({ contactId: 'n-2', startTime: Date.now() - 3 * HOUR, recordings: ['n-2.wav'] })
  },
})

type Settings = { mark: string | null; connection: { instanceId: string } }
const syncJson = (out: string) => join(f.work, out, '.ccc-recordings', 'sync.json')
const readSettings = async (out: string) => JSON.parse(await readFile(syncJson(out), 'utf8')) as Settings
const editInstance = async (out: string, instanceId: string) => {
  const s = await readSettings(out)
  await writeFile(syncJson(out), JSON.stringify({ ...s, connection: { ...s.connection, instanceId } }, null, 2))
}
const sync = (out: string, extra: string[] = []) => runCli(['sync', join(f.work, out), ...extra], f.env)
const firstRun = (out: string, instance: string) => sync(out, ['--since', new Date(Date.now() - DAY).toISOString(), '--instance', instance, '--endpoint', f.sim.endpoint])
const names = async (out: string) => (await filesUnder(join(f.work, out))).map((p) => p.split('/').pop()).sort()
const downloads = () => [...f.sim.stats.ossGets.values()].reduce((a, b) => a + b, 0)

describe('sync with a corrected instance', () => {
  it('asks CCC for the instance corrected in sync.json after a first run stopped on a wrong one, and says how to correct it', async () => {
    const wrong = await firstRun('edited', 'wrong-instance')
    expect(wrong.code).toBe(4)
    expect(wrong.stdout).toContain('NotExist.Instance')
    // A sync refuses the download's advice (first-run flags again): it is told what a sync takes.
    expect(wrong.stdout).not.toMatch(/run the download again|ccc-recordings resume/)
    expect(wrong.stdout).toContain(`"connection" in ${syncJson('edited')}`)
    expect(wrong.stdout).toContain(`ccc-recordings sync ${join(f.work, 'edited')} --instance <id>`)

    await editInstance('edited', f.sim.instanceId)
    const fixed = await sync('edited')
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0)
    expect(await names('edited')).toEqual(['n-1.wav', 'n-2.wav'])
    // The journal took the instance too: status and a later run speak of the right one.
    expect((await runCli(['status', join(f.work, 'edited')], f.env)).stdout).toContain(`(instance ${f.sim.instanceId},`)
    expect((await readSettings('edited')).mark).not.toBeNull()
    expect((await sync('edited')).code).toBe(0)
  }, 30_000)

  it('takes a corrected --instance while no window is complete, and refuses one once a window is', async () => {
    expect((await firstRun('flag', 'wrong-instance')).code).toBe(4)
    const fixed = await sync('flag', ['--instance', f.sim.instanceId])
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0)
    expect(fixed.stderr).toContain(`now connects to instance ${f.sim.instanceId}`)
    expect(await names('flag')).toEqual(['n-1.wav', 'n-2.wav'])
    expect((await readSettings('flag')).connection.instanceId).toBe(f.sim.instanceId)

    const later = await sync('flag', ['--instance', 'another'])
    expect(later.code).toBe(2)
    expect(later.stderr).toContain(`sync settings are in ${syncJson('flag')}; --instance goes with the first run only`)
    expect(later.stderr).toContain('the connection, overlap, margin and retention can be changed in sync.json')
  }, 30_000)

  it('refuses an instance edited in sync.json once files of the old one are verified, and keeps them', async () => {
    expect((await firstRun('kept', f.sim.instanceId)).code).toBe(0)
    const before = downloads()
    await editInstance('kept', 'another-instance')
    const refused = await sync('kept')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(new RegExp(`holds an export for instance ${f.sim.instanceId} with 2 verified files`))
    expect(refused.stderr).toContain(`this sync names instance another-instance, from --instance or sync.json's connection: the folder's files are instance ${f.sim.instanceId}'s`)
    expect(await names('kept')).toEqual(['n-1.wav', 'n-2.wav'])

    await editInstance('kept', f.sim.instanceId)
    expect((await sync('kept')).code).toBe(0)
    expect(downloads()).toBe(before)
  }, 30_000)
})

describe('a damaged sync.json', () => {
  it('is named by status, which still shows the export (exit 0); sync refuses it naming the file', async () => {
    expect((await firstRun('damaged', f.sim.instanceId)).code).toBe(0)
    const dir = join(f.work, 'damaged')
    const good = await readFile(syncJson('damaged'), 'utf8')
    const edited = (fields: Record<string, unknown>) => JSON.stringify({ ...(JSON.parse(good) as object), ...fields })
    const cases: [string, RegExp][] = [
      ['{bad', /is not valid JSON \(.+\)/],
      ['{"version":1,"since":"2024-01-01T00:00:00Z"}', /is not valid sync settings \("connection" is not an object\)/],
      [edited({ overlapMs: -5 }), /is not valid sync settings \("overlapMs" is not a number of milliseconds, 0 or more\)/],
      [edited({ retentionDays: -1 }), /is not valid sync settings \("retentionDays" is not a whole number of days, 1 or more\)/],
      // Every run would list the same two hours and call the archive complete up to 2030.
      [edited({ mark: '2030-01-01T00:00:00.000Z' }), /has "mark" 2030-01-01T00:00:00\.000Z, later than now \(.+\): a run ended while this computer's clock was ahead/],
    ]
    for (const [text, problem] of cases) {
      await writeFile(syncJson('damaged'), text)
      const status = await runCli(['status', dir], f.env)
      expect(status.code, status.stderr).toBe(0)
      expect(status.stdout).toContain(`Export in ${dir} (instance ${f.sim.instanceId},`)
      expect(status.stdout).toMatch(/Files: 2 total, 2 verified/)
      expect(status.stdout).toContain(`Sync: damaged settings, ${syncJson('damaged')} `)
      expect(status.stdout).toMatch(problem)

      const json = JSON.parse((await runCli(['status', dir, '--json'], f.env)).stdout) as { counts: { done: number }; sync?: unknown; syncDamaged: { file: string; problem: string } }
      expect(json.counts.done).toBe(2)
      expect(json.sync).toBeUndefined()
      expect(json.syncDamaged.file).toBe(syncJson('damaged'))
      expect(json.syncDamaged.problem).toMatch(problem)

      const refused = await sync('damaged')
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`Export.Conflict: ${syncJson('damaged')} `)
      expect(refused.stderr).toMatch(problem)
    }
    await writeFile(syncJson('damaged'), good)
    expect((await sync('damaged')).code).toBe(0)
  }, 60_000)
})

describe('a connection value sync.json holds', () => {
  it('is refused naming the field and the file, not a flag nobody typed', async () => {
    expect((await firstRun('bad-endpoint', f.sim.instanceId)).code).toBe(0)
    const s = await readSettings('bad-endpoint')
    // A password in the endpoint would be journalled: refused as the flag is, and not repeated.
    await writeFile(syncJson('bad-endpoint'), JSON.stringify({ ...s, connection: { ...s.connection, endpoint: 'http://user:hunter2@127.0.0.1:1/' } }))
    const refused = await sync('bad-endpoint')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`"connection.endpoint" in ${syncJson('bad-endpoint')}: must be an http(s) URL`)
    expect(refused.stderr).not.toContain('--endpoint')
    expect(refused.stderr).not.toContain('hunter2')
  }, 30_000)
})
