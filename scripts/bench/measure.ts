import { spawn } from 'node:child_process'
import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs a child process and measures what the benchmark reports: wall time from spawn to exit,
 * and the child's peak resident set size. GNU time reads the peak from the kernel when the child
 * is reaped (wait4's ru_maxrss), which polling cannot miss; without it, /proc/<pid>/status VmHWM
 * (itself a high-water mark) is polled, which can only miss a peak in the last poll interval.
 */

export interface Measured {
  readonly wallMs: number
  /** MiB; null when it could not be measured. */
  readonly peakRssMb: number | null
  /** User + system CPU seconds of the child (and the children it waited for); null without GNU time. */
  readonly cpuSeconds: number | null
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface MeasureOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** Scratch folder for GNU time's output file. */
  readonly scratch: string
}

const GNU_TIME = '/usr/bin/time'
// Enough for a summary or an error; a chatty child must not grow the benchmark itself.
const KEEP_OUTPUT = 64 * 1024

export const hasGnuTime = existsSync(GNU_TIME)

let serial = 0

export async function measure(command: string, args: readonly string[], options: MeasureOptions): Promise<Measured> {
  const rssFile = join(options.scratch, `rss-${process.pid}-${++serial}.txt`)
  const [cmd, argv] = hasGnuTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, [...args]]
  const started = performance.now()
  const child = spawn(cmd, argv, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    if (stdout.length < KEEP_OUTPUT) stdout += t
  })
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    // The tail is what explains a failure.
    stderr = (stderr + t).slice(-KEEP_OUTPUT)
  })
  let polledKb = 0
  const poll = hasGnuTime
    ? undefined
    : setInterval(() => {
        void readFile(`/proc/${child.pid}/status`, 'utf8').then(
          (s) => {
            const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0)
            if (kb > polledKb) polledKb = kb
          },
          () => undefined,
        )
      }, 20)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (c) => resolve(c))
  })
  const wallMs = performance.now() - started
  if (poll) clearInterval(poll)
  let peakKb = polledKb
  let cpuSeconds: number | null = null
  if (hasGnuTime) {
    const text = await readFile(rssFile, 'utf8').catch(() => '')
    await rm(rssFile, { force: true })
    // GNU time writes "Command exited with non-zero status N" before the figures on failure.
    const lines = text.trim().split('\n')
    const [kb, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number)
    peakKb = kb ?? 0
    if (user !== undefined && system !== undefined && Number.isFinite(user + system)) cpuSeconds = user + system
  }
  return { wallMs, peakRssMb: peakKb > 0 ? peakKb / 1024 : null, cpuSeconds, code, stdout, stderr }
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))

/**
 * A child entry point bundled into plain JavaScript (dist/bench/, next to node_modules for the
 * packages it imports), so a child is timed and weighed as node runs the product: without tsx
 * compiling TypeScript in a loader thread, which costs ~35 MB and a few hundred ms per start.
 */
export async function bundled(script: string): Promise<string> {
  const outfile = join(root, 'dist/bench', basename(script).replace(/\.ts$/, '.mjs'))
  await build({ entryPoints: [script], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' })
  return outfile
}
