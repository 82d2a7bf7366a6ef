/**
 * `npm run demo`: the whole product working offline. Starts the CCC + OSS simulator on loopback,
 * makes a sample list (with a few troublemakers), and downloads it through the real CLI, so
 * anyone can watch an export happen: retries, a resumed transfer, a missing recording reported.
 *
 * `npm run demo -- --api-version 2020-07-01` does the same against a CCC 2.0 instance (issue 14):
 * a week of calls listed through ListCallDetailRecords, each call's mixed WAV fetched by its
 * contact ID, one call whose recording is not ready yet (skipped, picked up by a later run), two
 * in archive storage (restored, then downloaded).
 * A last positional argument is the output folder (default `demo-output`).
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Sim, startSim } from '../test/sim/index.ts'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const { values, positionals } = parseArgs({ options: { 'api-version': { type: 'string', default: '2017-07-05' } }, allowPositionals: true })
const api = values['api-version']
if (api !== '2017-07-05' && api !== '2020-07-01') {
  console.error(`--api-version must be 2017-07-05 (CCC 1.0) or 2020-07-01 (CCC 2.0), not "${api}"`)
  process.exit(2)
}
const out = resolve(positionals[0] ?? join(root, 'demo-output'))
const start = Date.UTC(2026, 2, 1, 1, 0, 0)
const COUNT = 40

/** A few troublemakers, as a real night brings them, on the objects the CLI will fetch. */
function troublemakers(sim: Sim, names: readonly string[]): void {
  for (const [i, name] of names.entries()) sim.setSize(name, 200_000 + ((i * 7919) % 600_000))
  sim.fault(names[3]!, { kind: 'throttle', times: 2 })
  sim.fault(names[7]!, { kind: 'reset', afterBytes: 100_000 })
  sim.fault(names[11]!, { kind: 'expire-url' })
  sim.fault(names[15]!, { kind: 'oss-unavailable' })
  sim.fault(names[19]!, { kind: 'truncate', afterBytes: 50_000 })
  sim.remove(names[23]!)
}

/** CCC 1.0: a CSV of file names, as Excel on a Chinese desktop exports it. Returns the CLI's source arguments. */
async function seedV1(sim: Sim, work: string): Promise<string[]> {
  const names = Array.from({ length: COUNT }, (_, i) => `${start + i * 3_600_000}${String(i).padStart(11, '0')}.wav`)
  troublemakers(sim, names)
  const list = join(work, '录音清单.csv')
  await writeFile(list, `话务ID,录音文件名,坐席\n${names.map((n, i) => `c-${i},${n},agent-${i % 5}`).join('\n')}\n`)
  console.log(`Downloading ${names.length} recordings into ${out}\n`)
  return [list, '--layout', 'by-date']
}

/** CCC 2.0: calls over a week, listed by date range; each call's mixed WAV is `<contactId>.wav`. */
function seedV2(sim: Sim): string[] {
  const ids = Array.from({ length: COUNT }, (_, i) => `job-${7_000_000 + i}`)
  const agents = ['张伟', '李娜', '王芳', 'Li Lei', 'Han Meimei']
  for (const [i, id] of ids.entries()) {
    // One call is still being written: listed as skipped "not ready yet", fetched by a later run.
    sim.addCall({ contactId: id, startTime: start + i * 4 * 3_600_000, recordings: [`${id}-leg.wav`], agentName: agents[i % agents.length]!, notReady: i === 29 })
  }
  troublemakers(sim, ids.map((id) => `${id}.wav`))
  // Two calls are in archive storage: restored (RestoreArchivedRecordings), then downloaded.
  for (const i of [33, 37]) sim.archive(ids[i]!, { polls: 0 })
  console.log(`Listing a week of ${ids.length} calls and downloading their recordings into ${out}\n`)
  return ['--from', new Date(start).toISOString(), '--to', new Date(start + 7 * 24 * 3_600_000).toISOString(), '--api-version', api]
}

const sim = await startSim(api === '2020-07-01' ? { apiVersion: api, instanceId: 'ccc-demo' } : {})
const work = await mkdtemp(join(tmpdir(), 'ccc-demo-'))
const source = api === '2020-07-01' ? seedV2(sim) : await seedV1(sim, work)
await mkdir(out, { recursive: true })

console.log(`Simulator: ${sim.endpoint} (instance ${sim.instanceId}, API ${api})`)
const child = spawn(
  process.execPath,
  [join(root, 'bin/ccc-recordings.js'), 'download', ...source, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '6'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      // Simulator-only credentials: the demo never touches a real account or the keychain.
      ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: '',
    },
  },
)
const code = await new Promise<number>((r) => child.once('close', (c) => r(c ?? 1)))
await sim.close()
await rm(work, { recursive: true, force: true })
console.log(`\nThe CLI exited ${code} (3 = finished, some files failed: one recording does not exist).`)
console.log(`Look at ${join(out, 'report.csv')}${api === '2020-07-01' ? ` and ${join(out, 'manifest.csv')}` : ''}, or run: npx ccc-recordings status ${out}`)
process.exit(code === 0 || code === 3 ? 0 : code)
