/**
 * `npm run demo`: the whole product working offline. Starts the CCC + OSS simulator on loopback,
 * makes a sample list (with a few troublemakers), and downloads it through the real CLI, so
 * anyone can watch an export happen: retries, a resumed transfer, a missing recording reported.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSim } from '../test/sim/index.ts'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const out = resolve(process.argv[2] ?? join(root, 'demo-output'))

const sim = await startSim()
const start = Date.UTC(2026, 2, 1, 1, 0, 0)
const names = Array.from({ length: 40 }, (_, i) => `${start + i * 3_600_000}${String(i).padStart(11, '0')}.wav`)
for (const [i, name] of names.entries()) sim.setSize(name, 200_000 + ((i * 7919) % 600_000))
// A few troublemakers, as a real night brings them:
sim.fault(names[3]!, { kind: 'throttle', times: 2 })
sim.fault(names[7]!, { kind: 'reset', afterBytes: 100_000 })
sim.fault(names[11]!, { kind: 'expire-url' })
sim.fault(names[15]!, { kind: 'oss-unavailable' })
sim.fault(names[19]!, { kind: 'truncate', afterBytes: 50_000 })
sim.remove(names[23]!)

const work = await mkdtemp(join(tmpdir(), 'ccc-demo-'))
const list = join(work, '录音清单.csv')
// What Excel on a Chinese desktop exports: a header row with the name column among others.
await writeFile(list, `话务ID,录音文件名,坐席\n${names.map((n, i) => `c-${i},${n},agent-${i % 5}`).join('\n')}\n`)
await mkdir(out, { recursive: true })

console.log(`Simulator: ${sim.endpoint} (instance ${sim.instanceId})`)
console.log(`Downloading ${names.length} recordings into ${out}\n`)
const child = spawn(
  process.execPath,
  [join(root, 'bin/ccc-recordings.js'), 'download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--layout', 'by-date', '--concurrency', '6'],
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
console.log(`\nThe CLI exited ${code} (3 = finished, some files failed: one recording in the list does not exist).`)
console.log(`Look at ${join(out, 'report.csv')}, or run: npx ccc-recordings status ${out}`)
process.exit(code === 0 || code === 3 ? 0 : code)
