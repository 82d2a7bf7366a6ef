/**
 * Where SHA-256 goes in a real export (issue 13: hashing while streaming must cost under 5% of the
 * wall time): part a's run (2,000 files of 300 KB, concurrency 8, loopback) through the real CLI
 * under `--cpu-prof`, then the profile's self time in Hash update/digest against the wall time
 * and the main thread's busy time. Not part of `npm run bench`: run it alone.
 *
 *   npx tsx scripts/bench/sha-profile.ts [files=2000]
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSim } from '../../test/sim/index.ts'
import { recordingNames } from './download.ts'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string }
}
interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const n = Number(process.argv[2] ?? 2000)
const size = 300 * 1024
const scratch = await mkdtemp(join(tmpdir(), 'sha-profile-'))
const sim = await startSim({ defaultSize: () => size })
try {
  const names = recordingNames(n)
  for (const name of names) sim.etag(name)
  const list = join(scratch, 'names.txt')
  await writeFile(list, `${names.join('\n')}\n`)
  await mkdir(join(scratch, 'config'), { recursive: true })
  const cli = join(root, 'bin/ccc-recordings.js')
  spawnSync(process.execPath, [cli, '--version'], { stdio: 'ignore' })
  const env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(scratch, 'config'), HTTPS_PROXY: '', HTTP_PROXY: '' }
  const profDir = join(scratch, 'prof')
  const args = ['--cpu-prof', '--cpu-prof-dir', profDir, cli, 'download', list, '--out', join(scratch, 'out'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '8', '--json']
  const started = performance.now()
  // Async spawn: the simulator answers from this process, so it must not be blocked.
  const code = await new Promise<number | null>((done) => spawn(process.execPath, args, { env, stdio: 'ignore' }).on('exit', done))
  const wallMs = performance.now() - started
  if (code !== 0) throw new Error(`the CLI exited ${code}`)
  const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'))
  const profile = JSON.parse(await readFile(join(profDir, file!), 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  let sha = 0
  let idle = 0
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    total += dt
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') idle += dt
    // Hash.update and Hash.digest are native: their self time is the hashing itself.
    else if (/crypto\/hash/.test(frame.url) || (frame.url === '' && /^(update|digest)$/.test(frame.functionName))) sha += dt
  })
  if (process.env.SHA_PROFILE_TOP) {
    const self = new Map<string, number>()
    profile.samples.forEach((id, i) => {
      const f = byId.get(id)!.callFrame
      const key = `${f.functionName} ${f.url.split('/').slice(-2).join('/')}`
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
    })
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`)
  }
  const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(1)}%`
  console.log(`${n} files × 300 KB, concurrency 8, loopback; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`)
  console.log(`wall ${(wallMs / 1000).toFixed(2)} s; main thread busy ${((total - idle) / 1000).toFixed(2)} s of ${(total / 1000).toFixed(2)} s profiled`)
  console.log(`SHA-256 (Hash update/digest self time) ${(sha / 1000).toFixed(2)} s: ${pct(sha, wallMs)} of wall, ${pct(sha, total - idle)} of the main thread's busy time`)
} finally {
  await sim.close()
  await rm(scratch, { recursive: true, force: true })
}
