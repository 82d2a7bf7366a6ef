import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/ccc-recordings.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The real bin in a child process, as a user or a script runs it. */
export function spawnCli(args: readonly string[], env: Record<string, string | undefined>, stdin?: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, as a terminal starts a command: killGroup reaches whatever it started
    // too (the first run builds the CLI's bundle in an esbuild child).
    detached: true,
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  if (stdin !== undefined) child.stdin!.end(stdin)
  else child.stdin!.end()
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

export function runCli(args: readonly string[], env: Record<string, string | undefined>, stdin?: string): Promise<CliResult> {
  return spawnCli(args, env, stdin).done
}

/** Signals the child's whole process group, as Ctrl-C or a kill from a terminal would. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  process.kill(-child.pid!, signal)
}
