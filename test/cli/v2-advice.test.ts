import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { catalogEntry } from '../../main/common/error-catalog.ts'
import { cliFixture } from './cli-fixture.ts'
import { runCli } from './run-cli.ts'

// What the CLI tells a CCC 2.0 user must be true of what it did: the recording kind a names list
// gets, the permission a refused restore needs, what the skipped rows are, how to switch generation.
const at = (cst: string) => Date.parse(`${cst}+08:00`)

const f = cliFixture('v2-advice-', {
  sim: { apiVersion: '2020-07-01' },
  calls: (sim) => {
    sim.addCall({ contactId: 'job-401', startTime: at('2026-03-05T01:02:03'), recordings: ['job-401-a.wav'] })
    sim.addCall({ contactId: 'job-402', startTime: at('2026-03-05T02:00:00'), recordings: ['job-402-a.wav'], notReady: true })
    sim.addCall({ contactId: 'job-403', startTime: at('2026-03-05T03:00:00'), recordings: ['job-403-a.wav'] })
  },
})
// The advice is checked in English, whatever the machine's language.
const env = (): Record<string, string> => ({ ...f.env, LANG: 'en_US.UTF-8' })

const download = (out: string, extra: readonly string[], api = '2020-07-01') => ['download', '--out', out, '--instance', f.sim.instanceId, '--endpoint', f.sim.endpoint, '--api-version', api, ...extra]

describe('CCC 2.0 advice in the CLI', () => {
  it('refuses --recording other than mono for a names list: each name says which recording it is', async () => {
    const out = join(f.work, 'out')
    for (const kind of ['multichannel', 'per-agent']) {
      const r = await runCli(download(out, ['-', '--recording', kind]), env(), 'job-401.wav\n')
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(new RegExp(`--recording ${kind} does not go with a names list: a names list names its files, so each name says which recording it is`))
      expect(r.stderr).toMatch(/--recording applies to date ranges \(--from\/--to\) and contact IDs \(--contacts\)/)
      // Refused before anything was journalled as multichannel or downloaded.
      await expect(readFile(join(out, '.ccc-recordings', 'journal.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' })
    }
    const mono = await runCli(download(out, ['-', '--recording', 'mono']), env(), 'job-401.wav\n')
    expect(mono.code, mono.stderr).toBe(0)
    expect((await readFile(join(out, 'job-401.wav'))).equals(f.sim.content('job-401.wav'))).toBe(true)
  })

  it('a refused restore names the permission restoring needs, not the read-only policy', async () => {
    f.sim.archive('job-403')
    f.sim.fault('restore:job-403', { kind: 'api-hostile', status: 403, code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.' })
    const out = join(f.work, 'out')
    const r = await runCli(download(out, ['-']), env(), 'job-401.wav\njob-403.wav\n')
    expect(r.code, r.stderr).toBe(3)
    const text = r.stdout + r.stderr
    expect(text).toMatch(/Restore\.Forbidden\s+1\s+The RAM user may not restore archived recordings\. Grant the RAM user ccc:RestoreArchivedRecordings/)
    expect(text).toMatch(/recordings not archived download with read-only access/)
    expect(text).not.toMatch(/Grant the RAM user read-only CCC permission/)
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toMatch(/job-403\.wav,failed,0,,Restore\.Forbidden,RestoreArchivedRecordings: Forbidden\.RAM: /)
    expect(catalogEntry('Restore.Forbidden').action['zh-CN']).toMatch(/ccc:RestoreArchivedRecordings.*只读/)
  })

  it('says the skipped calls may be not ready yet, and calls them calls for contact IDs too', async () => {
    const range = await runCli(download(join(f.work, 'range'), ['--from', '2026-03-05T00:00:00+08:00', '--to', '2026-03-05T02:30:00+08:00']), env())
    expect(range.code, range.stderr).toBe(0)
    expect(range.stderr).toMatch(/^1 call had no recording or none ready yet \(listed in report\.csv as skipped, with the reason\)$/m)

    await writeFile(join(f.work, 'ids.csv'), 'job-401\njob-402\njob-401\n')
    const contacts = await runCli(download(join(f.work, 'contacts'), ['--contacts', join(f.work, 'ids.csv')]), env())
    expect(contacts.code, contacts.stderr).toBe(0)
    expect(contacts.stderr).toContain('ids.csv: 2 contact IDs; 1 duplicates and 0 blank rows dropped')
    expect(contacts.stderr).toMatch(/^1 call had no recording, none ready yet or could not be looked up \(listed in report\.csv as skipped, with the reason\)$/m)
    expect(await readFile(join(f.work, 'contacts', 'report.csv'), 'utf8')).toMatch(/call\/job-402,skipped,.*not ready yet/)
  })

  it('the wrong generation is told how to switch without a profile too: --api-version', async () => {
    const r = await runCli(download(join(f.work, 'out'), ['-'], '2017-07-05'), env(), 'job-401.wav\n')
    expect(r.code).toBe(4)
    expect(r.stdout + r.stderr).toMatch(/Api\.InstanceIsV2.*pass --api-version 2020-07-01/)
    expect(catalogEntry('Api.InstanceIsV1').action.en).toMatch(/--api-version 2017-07-05/)
    expect(catalogEntry('Api.InstanceIsV1').action['zh-CN']).toMatch(/--api-version 2017-07-05/)
  })
})
