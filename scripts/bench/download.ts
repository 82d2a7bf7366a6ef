import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSim, type Sim, unusedUrls } from '../../test/sim/index.ts'
import { emptyFiles } from './empty-files.ts'
import { startLatencyProxy } from './latency-proxy.ts'
import { bundled, measure, type Measured } from './measure.ts'
import { count, mb, median, seconds, type Row } from './report.ts'

/**
 * a and b: whole exports through the real CLI (`node bin/ccc-recordings.js download …`) against
 * the simulator on loopback; a also runs the two-step peer (resolve every URL, then aria2c) and
 * bare-download.ts (the per-file work alone, in Node) in the same conditions, in turn with ours.
 */

export interface BenchContext {
  readonly scratch: string
  readonly quick: boolean
  readonly rounds: number
  readonly log: (line: string) => void
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const CLI = join(root, 'bin/ccc-recordings.js')
const RESOLVER = join(root, 'scripts/bench/peer-resolve.ts')
const BARE = join(root, 'scripts/bench/bare-download.ts')
// The bare contestant's calls in flight at most: ours's cap (url-pipeline.ts), enough at 100 ms.
const BARE_RESOLVERS = 128
const CONCURRENCY = 8

/** CCC-shaped names: the call's start in ms, then 11 digits. */
export function recordingNames(n: number): string[] {
  const start = Date.UTC(2026, 9, 1, 0, 0, 0)
  return Array.from({ length: n }, (_, i) => `${start + i * 7_000}${String(i).padStart(11, '0')}.wav`)
}

/** The children get the simulator's test credentials and no proxy: loopback is the network here. */
function childEnv(sim: Sim, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/_proxy$/i.test(k)) env[k] = v
  return {
    ...env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
    ALIBABA_CLOUD_SECURITY_TOKEN: '',
    // Never the developer's own profiles or keychain.
    CCC_RECORDINGS_CONFIG_DIR: join(scratch, 'config'),
  }
}

/** Dirty pages of the previous run must not be written back during the next one. */
function settleDisk(): void {
  spawnSync('sync')
}

/** Every run writes into a folder of its own, emptied when the run is over (see emptyFiles). */
async function freshDir(scratch: string, label: string): Promise<string> {
  return mkdtemp(join(scratch, `${label}-`))
}

async function countFiles(dir: string, suffix: string): Promise<number> {
  const entries = await readdir(dir).catch(() => [] as string[])
  return entries.filter((e) => e.endsWith(suffix)).length
}

function failure(what: string, m: Measured): Error {
  return new Error(`${what} exited ${m.code}: ${m.stderr.trim().split('\n').slice(-5).join(' | ')}`)
}

async function runOurs(sim: Sim, list: string, n: number, ctx: BenchContext, label: string, endpoint = sim.endpoint): Promise<Measured & { simSeconds: number }> {
  const out = await freshDir(ctx.scratch, label)
  settleDisk()
  const simCpu = process.cpuUsage()
  const m = await measure(
    process.execPath,
    [CLI, 'download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', endpoint, '--concurrency', String(CONCURRENCY), '--json'],
    { env: childEnv(sim, ctx.scratch), scratch: ctx.scratch },
  )
  const simSeconds = cpuSince(simCpu)
  if (m.code !== 0) throw failure('ccc-recordings download', m)
  const summary = JSON.parse(m.stdout) as { counts: { done: number } }
  if (summary.counts.done !== n) throw new Error(`ccc-recordings download: ${summary.counts.done} of ${n} files done`)
  await emptyFiles(out)
  return { ...m, simSeconds }
}

/** bare-download.ts: the same files with the per-file work alone, and no engine around it. */
async function runBare(sim: Sim, list: string, n: number, ctx: BenchContext, label: string, script: string, endpoint: string): Promise<Measured> {
  const out = await freshDir(ctx.scratch, label)
  settleDisk()
  const m = await measure(process.execPath, [script, list, out, endpoint, sim.instanceId, String(CONCURRENCY), String(BARE_RESOLVERS)], {
    env: childEnv(sim, ctx.scratch),
    scratch: ctx.scratch,
  })
  if (m.code !== 0) throw failure('bare-download', m)
  const got = await countFiles(out, '.wav')
  if (got !== n) throw new Error(`bare-download: ${got} of ${n} files`)
  await emptyFiles(out)
  return m
}

interface PeerRun {
  readonly wallMs: number
  readonly resolveMs: number
  /** The same resolve step through our CLI's HTTP client instead of Node's fetch. */
  readonly resolveHttpMs: number
  readonly transferMs: number
  /** aria2c's own CPU, and the simulator's (this process's) while aria2c ran. */
  readonly transferCpuSeconds: number | null
  readonly transferSimSeconds: number
  readonly peakRssMb: number | null
  readonly cpuSeconds: number | null
}

const cpu = (s: number | null): string => (s === null ? 'n/a' : `${s.toFixed(2)} s`)

/**
 * The simulator runs in this process, so this process's CPU during a run is what serving it cost
 * (on two cores, the contestant and the simulator share the machine).
 */
function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1e6
}

async function runPeer(sim: Sim, list: string, n: number, ctx: BenchContext, label: string, resolver: string, endpoint = sim.endpoint): Promise<PeerRun> {
  const out = await freshDir(ctx.scratch, label)
  const urls = join(ctx.scratch, `${label}.urls`)
  settleDisk()
  const resolve = async (client: 'fetch' | 'http'): Promise<Measured> => {
    const m = await measure(process.execPath, [resolver, list, urls, endpoint, sim.instanceId, String(CONCURRENCY), client], {
      env: childEnv(sim, ctx.scratch),
      scratch: ctx.scratch,
    })
    if (m.code !== 0) throw failure(`peer resolver (${client})`, m)
    return m
  }
  // Both resolve steps, then aria2c once on the URLs of the second: the transfers do not depend
  // on which client fetched their URLs.
  const resolvedHttp = await resolve('http')
  const resolved = await resolve('fetch')
  const simCpu = process.cpuUsage()
  const aria = await measure(
    'aria2c',
    [
      '-j', String(CONCURRENCY), '-x', '1', '-i', urls, '-d', out,
      '--auto-file-renaming=false', '--allow-overwrite=true', '--console-log-level=warn',
      '--summary-interval=0', '--download-result=hide', '--no-conf=true',
    ],
    { env: childEnv(sim, ctx.scratch), scratch: ctx.scratch },
  )
  const transferSimSeconds = cpuSince(simCpu)
  if (aria.code !== 0) throw failure('aria2c', aria)
  const got = await countFiles(out, '.wav')
  if (got !== n) throw new Error(`aria2c: ${got} of ${n} files`)
  await emptyFiles(out)
  await rm(urls, { force: true })
  const cpuSeconds = resolved.cpuSeconds === null || aria.cpuSeconds === null ? null : resolved.cpuSeconds + aria.cpuSeconds
  return {
    wallMs: resolved.wallMs + aria.wallMs,
    resolveMs: resolved.wallMs,
    resolveHttpMs: resolvedHttp.wallMs,
    transferMs: aria.wallMs,
    transferCpuSeconds: aria.cpuSeconds,
    transferSimSeconds,
    peakRssMb: aria.peakRssMb,
    cpuSeconds,
  }
}

/**
 * The peer's first step as a script would run it: plain JavaScript in node, not TypeScript
 * compiled by tsx on every start (which would charge the peer for our tooling).
 */
function bundleResolver(): Promise<string> {
  return bundled(RESOLVER)
}

function hasAria2c(): boolean {
  return spawnSync('aria2c', ['--version'], { stdio: 'ignore' }).status === 0
}

async function prepare(n: number, size: number, ctx: BenchContext, label: string): Promise<{ sim: Sim; list: string; names: string[] }> {
  // Untimed: the first run after a source change bundles the CLI (bin/ccc-recordings.js).
  spawnSync(process.execPath, [CLI, '--version'], { stdio: 'ignore' })
  const sim = await startSim({ defaultSize: () => size })
  const names = recordingNames(n)
  // Checksums are computed once per object and cached: not in anyone's timing.
  for (const name of names) sim.etag(name)
  const list = join(ctx.scratch, `${label}.txt`)
  await writeFile(list, `${names.join('\n')}\n`)
  await mkdir(join(ctx.scratch, 'config'), { recursive: true })
  return { sim, list, names }
}

/**
 * The API's round trips compared (issue 16): loopback, a CCC gateway in the same region, and one
 * farther away. OSS stays on loopback: only the API pays the distance.
 */
const API_LATENCIES_MS = [0, 30, 100] as const

/** Targets per latency: ours against the floor (aria2c alone on URLs resolved beforehand), and against the peer. */
const TARGETS: Record<number, { floor?: number; peer?: number }> = { 30: { floor: 1.15, peer: 0.8 }, 100: { floor: 1.3 } }

interface OursRun extends Measured {
  /** DownloadRecording calls the simulator answered during the run. */
  readonly apiCalls: number
  /** Presigned URLs signed during the run that never reached OSS in time. */
  readonly unusedUrls: number
  /** OSS requests refused because their URL had expired. */
  readonly expiredUrls: number
}

async function warmUp(sim: Sim, n: number, ctx: BenchContext, resolver: string, peer: boolean, bare: string): Promise<void> {
  // Untimed, on the same simulator with other names: fills the page cache for node, aria2c and
  // the sources, and lets V8 optimise the simulator's own code (per instance), which otherwise
  // happened during whichever contestant ran first, ours in round 1.
  const warmN = n / 10
  const warmNames = recordingNames(n + warmN).slice(n)
  for (const name of warmNames) sim.etag(name)
  const warmList = join(ctx.scratch, 'a-warm.txt')
  await writeFile(warmList, `${warmNames.join('\n')}\n`)
  await runOurs(sim, warmList, warmN, ctx, 'a-warm-ours')
  if (peer) await runPeer(sim, warmList, warmN, ctx, 'a-warm-peer', resolver)
  await runBare(sim, warmList, warmN, ctx, 'a-warm-bare', bare, sim.endpoint)
}

export async function benchA(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 200 : 2000
  const size = 300 * 1024
  const { sim, list } = await prepare(n, size, ctx, 'a-names')
  const peer = hasAria2c()
  const resolver = await bundleResolver()
  const bare = await bundled(BARE)
  const proxies = await Promise.all(API_LATENCIES_MS.filter((ms) => ms > 0).map((ms) => startLatencyProxy(sim.endpoint, ms)))
  try {
    await warmUp(sim, n, ctx, resolver, peer, bare)
    const shaMs = sha256Ms(n, size)
    const rows: Row[] = []
    for (const latency of API_LATENCIES_MS) {
      const endpoint = latency === 0 ? sim.endpoint : proxies[API_LATENCIES_MS.filter((ms) => ms > 0).indexOf(latency)]!.endpoint
      const tag = latency === 0 ? 'a' : `a+${latency}ms`
      const { ours, peers, bares } = await rounds(sim, list, n, ctx, tag, endpoint, peer ? resolver : undefined, bare)
      rows.push(...compare(tag, latency, n, size, ours, peer ? peers : undefined, bares))
      if (latency === 0) rows.push(shaRow(tag, shaMs, median(ours.map((m) => m.wallMs))))
    }
    return rows
  } finally {
    await Promise.all(proxies.map((p) => p.close()))
    await sim.close()
  }
}

/**
 * What SHA-256 adds (issue 13: under 5% of the wall time): the CLI hashes every byte on its main
 * thread as it streams, so hashing the run's bytes here, in chunks of the size sockets deliver,
 * is the most it can cost. Median of three.
 */
function sha256Ms(n: number, size: number): number {
  const chunk = randomBytes(64 * 1024)
  const times: number[] = []
  for (let r = 0; r < 3; r++) {
    const t = performance.now()
    for (let f = 0; f < n; f++) {
      const h = createHash('sha256')
      for (let left = size; left > 0; left -= chunk.length) h.update(left >= chunk.length ? chunk : chunk.subarray(0, left))
      h.digest()
    }
    times.push(performance.now() - t)
  }
  return median(times)
}

function shaRow(tag: string, shaMs: number, oursMs: number): Row {
  const share = shaMs / oursMs
  return { section: tag, what: 'SHA-256 of every byte, at most, as a share of ours', figure: `${(share * 100).toFixed(1)}% (${seconds(shaMs)})`, target: '< 5%', met: share < 0.05 }
}

/**
 * Ours, the peer and the bare script in turn: each round starts with another, and every other
 * round runs them in reverse, so none always follows the same one (the simulator's state after it).
 */
async function rounds(sim: Sim, list: string, n: number, ctx: BenchContext, tag: string, endpoint: string, resolver: string | undefined, bare: string) {
  const ours: OursRun[] = []
  const peers: PeerRun[] = []
  const bares: Measured[] = []
  const contestants = ['ours', 'peer', 'bare'] as const
  for (let r = 0; r < ctx.rounds; r++) {
    const rotated = contestants.map((_, i) => contestants[(i + r) % contestants.length]!)
    const order = r % 2 === 0 ? rotated : rotated.reverse()
    for (const who of order) {
      if (who === 'ours') {
        sim.resetStats()
        const m = await runOurs(sim, list, n, ctx, `${tag}-ours-${r}`, endpoint)
        const apiCalls = [...sim.stats.downloadRecordingCalls.values()].reduce((a, b) => a + b, 0)
        const run = { ...m, apiCalls, unusedUrls: unusedUrls(sim.stats), expiredUrls: sim.stats.urlsExpired }
        ours.push(run)
        ctx.log(
          `${tag}  round ${r + 1}: ours ${seconds(m.wallMs)} (CPU ${cpu(m.cpuSeconds)}; simulator ${cpu(m.simSeconds)}), peak RSS ${mb(m.peakRssMb)}, DownloadRecording calls ${count(apiCalls)} for ${count(n)} files, ` +
            `URLs unused ${count(run.unusedUrls)}, refused as expired ${count(run.expiredUrls)}`,
        )
      } else if (who === 'bare') {
        const m = await runBare(sim, list, n, ctx, `${tag}-bare-${r}`, bare, endpoint)
        bares.push(m)
        ctx.log(`${tag}  round ${r + 1}: bare ${seconds(m.wallMs)} (CPU ${cpu(m.cpuSeconds)})`)
      } else if (resolver) {
        const p = await runPeer(sim, list, n, ctx, `${tag}-peer-${r}`, resolver, endpoint)
        peers.push(p)
        ctx.log(
          `${tag}  round ${r + 1}: peer ${seconds(p.wallMs)} (resolve ${seconds(p.resolveMs)} + aria2c ${seconds(p.transferMs)}; CPU ${cpu(p.cpuSeconds)}, aria2c ${cpu(p.transferCpuSeconds)}, simulator during aria2c ${cpu(p.transferSimSeconds)}); ` +
            `resolving with our HTTP client ${seconds(p.resolveHttpMs)}`,
        )
      }
    }
  }
  return { ours, peers, bares }
}

function compare(tag: string, latency: number, n: number, size: number, ours: readonly OursRun[], peers: readonly PeerRun[] | undefined, bares: readonly Measured[]): Row[] {
  const oursMs = median(ours.map((m) => m.wallMs))
  const bareMs = median(bares.map((m) => m.wallMs))
  const rss = Math.max(...ours.map((m) => m.peakRssMb ?? 0))
  const note = latency === 0 ? 'API on loopback' : `API ${latency} ms away`
  const target = TARGETS[latency] ?? {}
  const rows: Row[] = [
    {
      section: tag,
      what: `ours: median wall (${count(n)} × 300 KB, c=${CONCURRENCY}, ${note})`,
      figure: `${seconds(oursMs)} (${((n * size) / 2 ** 20 / (oursMs / 1000)).toFixed(0)} MiB/s)`,
    },
  ]
  if (peers) {
    const peerMs = median(peers.map((p) => p.wallMs))
    const floorMs = median(peers.map((p) => p.transferMs))
    const vsFloor = oursMs / floorMs
    const vsPeer = oursMs / peerMs
    rows.push(
      { section: tag, what: 'floor: aria2c alone on URLs resolved beforehand, median', figure: seconds(floorMs) },
      {
        section: tag,
        what: 'peer: median wall (resolve all, then aria2c)',
        figure: `${seconds(peerMs)} (${seconds(median(peers.map((p) => p.resolveMs)))} + ${seconds(floorMs)})`,
      },
      { section: tag, what: 'ratio ours / floor', figure: vsFloor.toFixed(2), ...(target.floor ? { target: `≤ ${target.floor}`, met: vsFloor <= target.floor } : {}) },
      { section: tag, what: 'ratio ours / peer', figure: vsPeer.toFixed(2), ...(target.peer ? { target: `≤ ${target.peer}`, met: vsPeer <= target.peer } : {}) },
      // No target: what the machine allows a Node program doing only the per-file work.
      { section: tag, what: 'ratio bare / floor (bare-download.ts: the per-file work alone, in Node)', figure: (bareMs / floorMs).toFixed(2) },
    )
  } else {
    rows.push({ section: tag, what: 'peer and floor', figure: 'aria2c not installed (apt-get install aria2)' })
  }
  rows.push({ section: tag, what: 'bare: median wall, and ratio ours / bare', figure: `${seconds(bareMs)}, ${(oursMs / bareMs).toFixed(2)}` })
  const calls = Math.max(...ours.map((m) => m.apiCalls))
  const unused = Math.max(...ours.map((m) => m.unusedUrls))
  const expired = Math.max(...ours.map((m) => m.expiredUrls))
  rows.push(
    { section: tag, what: 'ours: DownloadRecording calls per file (most of any round)', figure: (calls / n).toFixed(3), target: '≤ 1 (+ retries)', met: calls <= n },
    {
      section: tag,
      what: 'ours: presigned URLs unused, and refused as expired (most of any round)',
      figure: `${count(unused)} unused, ${count(expired)} expired`,
      target: '0',
      met: unused === 0 && expired === 0,
    },
    { section: tag, what: 'ours: peak RSS of the CLI', figure: mb(rss), target: '≤ 150 MB', met: rss > 0 ? rss <= 150 : null },
  )
  return rows
}

export async function benchB(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 5000 : 100_000
  const { sim, list } = await prepare(n, 2048, ctx, 'b-names')
  try {
    const m = await runOurs(sim, list, n, ctx, 'b-ours')
    const perSecond = n / (m.wallMs / 1000)
    ctx.log(`b  ${count(n)} files in ${seconds(m.wallMs)} (CPU ${cpu(m.cpuSeconds)}), peak RSS ${mb(m.peakRssMb)}`)
    return [
      { section: 'b', what: `ours: ${count(n)} × 2 KB, c=${CONCURRENCY}`, figure: `${perSecond.toFixed(0)} files/s (${seconds(m.wallMs)})` },
      { section: 'b', what: 'ours: peak RSS of the CLI', figure: mb(m.peakRssMb), target: '≤ 150 MB', met: m.peakRssMb === null ? null : m.peakRssMb <= 150 },
    ]
  } finally {
    await sim.close()
  }
}
