/**
 * Where the CLI's CPU goes in part a, and what of it grows with the API's distance: the same
 * export as part a (2,000 files of 300 KB, concurrency 8) through the real CLI, with the CCC API
 * behind `latency-proxy.ts`, measured by GNU time (user + system CPU seconds of the CLI alone,
 * robust to other load, unlike the wall time) and, with --prof, under `--cpu-prof`: the main
 * thread's self time by function and by source module (the bundle's `// main/…` markers), and
 * SHA-256's share of the wall time (issue 13). Not part of `npm run bench`: run it alone.
 *
 *   npx tsx scripts/bench/latency-profile.ts [--latency 0,30,100] [--files 2000] [--runs 1] [--prof] [--top 25]
 *     [--node='--require ./scripts/bench/count-events.cjs'] (what the CLI did: timers, sockets, requests, chunks, fs calls)
 *     [--node=--trace-gc --stdout /tmp/gc] (each run's GC lines to /tmp/gc-<n>.txt)
 *     [--wrap='strace -f -c -o /tmp/sc'] (system calls by kind, all threads)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSim } from '../../test/sim/index.ts'
import { recordingNames } from './download.ts'
import { emptyFiles } from './empty-files.ts'
import { startLatencyProxy } from './latency-proxy.ts'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}
interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '0,30,100' },
    files: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '1' },
    prof: { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
    /** Extra node flags for the CLI, space-separated (e.g. --trace-gc). */
    node: { type: 'string', default: '' },
    /** A command the CLI runs under, space-separated (e.g. 'strace -f -c -o /tmp/sc'). */
    wrap: { type: 'string', default: '' },
    /** Where the CLI's stdout goes (with --node '--trace-gc', its GC lines). */
    stdout: { type: 'string' },
  },
})
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const cli = join(root, 'bin/ccc-recordings.js')
const n = Number(values.files)
const size = 300 * 1024
const scratch = await mkdtemp(join(tmpdir(), 'latency-profile-'))
const sim = await startSim({ defaultSize: () => size })
const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`

/** Bundle line → the source module esbuild marked above it (`// main/engine/…`). */
async function moduleLines(): Promise<(line: number) => string> {
  const text = await readFile(join(root, 'dist/cli/ccc-recordings.mjs'), 'utf8')
  const marks: [number, string][] = []
  text.split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:main|node_modules|test)\/\S+)$/.exec(line)
    if (m) marks.push([i, m[1]!])
  })
  return (line) => {
    let name = '(bundle)'
    for (const [at, module] of marks) {
      if (at > line) break
      name = module
    }
    return name
  }
}

function report(profile: Profile, moduleOf: (line: number) => string, top: number, wallMs: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const byFunction = new Map<string, number>()
  const byModule = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    total += dt
    const f = byId.get(id)!.callFrame
    const where = f.url.endsWith('ccc-recordings.mjs') ? moduleOf(f.lineNumber) : f.url.replace(/^.*node_modules\//, '').replace(/^node:/, '') || '(native)'
    byFunction.set(`${f.functionName || '(anonymous)'}  ${where}`, (byFunction.get(`${f.functionName || '(anonymous)'}  ${where}`) ?? 0) + dt)
    byModule.set(where, (byModule.get(where) ?? 0) + dt)
  })
  const idle = byFunction.get('(idle)  (native)') ?? 0
  console.log(`  main thread busy ${ms(total - idle)} of ${ms(total)} profiled`)
  // Hash update and digest are native: their self time is the hashing itself (issue 13: under 5% of the wall time).
  const sha = [...byModule].filter(([k]) => k.includes('crypto/hash')).reduce((a, [, v]) => a + v, 0)
  console.log(`  SHA-256 (Hash update/digest) ${ms(sha)}: ${((100 * sha) / wallMs).toFixed(1)}% of the wall time, ${((100 * sha) / (total - idle)).toFixed(1)}% of the main thread's busy time`)
  console.log('  self time by function:')
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(v)}  ${k}`)
  console.log('  self time by module:')
  for (const [k, v] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(v)}  ${k}`)
}

/** The CLI under GNU time: its own user and system CPU seconds (less moved by other load than its wall time, but moved) and context switches. */
async function timed(args: readonly string[], env: NodeJS.ProcessEnv) {
  const stats = join(scratch, 'time.txt')
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S %w %c', '-o', stats, ...values.wrap.split(' ').filter(Boolean), process.execPath, ...args], { env, stdio: ['ignore', values.stdout ? 'pipe' : 'ignore', 'pipe'] })
  let stdout = ''
  child.stdout?.setEncoding('utf8').on('data', (t: string) => void (stdout += t))
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (t: string) => void (stderr = (stderr + t).slice(-2000)))
  // Async: the simulator and the proxy answer from this process.
  const code = await new Promise<number | null>((done) => child.on('close', done))
  const wallMs = performance.now() - started
  if (code !== 0) throw new Error(`the CLI exited ${code}: ${stderr}`)
  // A preload (--node='--require counter.cjs') may report what it counted on stderr.
  for (const line of stderr.split('\n')) if (line.startsWith('COUNTS ')) console.log(`  ${line}`)
  if (values.stdout) await writeFile(`${values.stdout}-${performance.now().toFixed(0)}.txt`, stdout)
  const [peakKb, user, system, voluntary, involuntary] = (await readFile(stats, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number, number]
  return { wallMs, peakKb, user, system, voluntary, involuntary }
}

try {
  const names = recordingNames(n)
  for (const name of names) sim.etag(name)
  const list = join(scratch, 'names.txt')
  await writeFile(list, `${names.join('\n')}\n`)
  await mkdir(join(scratch, 'config'), { recursive: true })
  // Builds the bundle if the sources changed, outside any measurement.
  spawnSync(process.execPath, [cli, '--version'], { stdio: 'ignore' })
  const moduleOf = await moduleLines()
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/_proxy$/i.test(k)) env[k] = v
  Object.assign(env, { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, ALIBABA_CLOUD_SECURITY_TOKEN: '', CCC_RECORDINGS_CONFIG_DIR: join(scratch, 'config') })
  const latencies = values.latency.split(',').map(Number)
  const proxies = new Map(await Promise.all([...new Set(latencies.filter((l) => l > 0))].map(async (l) => [l, await startLatencyProxy(sim.endpoint, l)] as const)))
  let serial = 0
  for (let run = 0; run < Number(values.runs); run++) {
    for (const latency of latencies) {
      const endpoint = latency === 0 ? sim.endpoint : proxies.get(latency)!.endpoint
      const out = join(scratch, `out-${++serial}`)
      const profDir = join(scratch, `prof-${serial}`)
      spawnSync('sync')
      sim.resetStats()
      const prof = values.prof ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []
      const args = [...prof, ...values.node.split(' ').filter(Boolean), cli, 'download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', endpoint, '--concurrency', '8', '--json']
      const m = await timed(args, env)
      const calls = [...sim.stats.downloadRecordingCalls.values()].reduce((a, b) => a + b, 0)
      const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')
      console.log(`${new Date().toISOString().slice(11, 19)} API ${latency} ms: wall ${(m.wallMs / 1000).toFixed(2)} s, CPU ${(m.user + m.system).toFixed(2)} s (user ${m.user.toFixed(2)}, system ${m.system.toFixed(2)}), context switches ${m.voluntary} voluntary ${m.involuntary} involuntary, peak RSS ${(m.peakKb / 1024).toFixed(0)} MB, DownloadRecording ${calls} for ${n} files${values.prof ? ' (profiled)' : ''}; load ${load}`)
      if (values.prof) {
        const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'))!
        report(JSON.parse(await readFile(join(profDir, file), 'utf8')) as Profile, moduleOf, Number(values.top), m.wallMs)
      }
      await emptyFiles(out)
    }
  }
  await Promise.all([...proxies.values()].map((p) => p.close()))
} finally {
  await sim.close()
  await rm(scratch, { recursive: true, force: true })
}
