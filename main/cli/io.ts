import type { Logger } from '../engine/log.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { createLogger } from '../engine/log.ts'
import { type StatusLine, Terminal } from './terminal.ts'

/** The process at the edge: commands take it as a parameter, so tests can run them in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly stdout: { write(text: string): unknown; isTTY?: boolean }
  /** With `statusLine` on a terminal: the progress bar, which other writes go around. */
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number; statusLine?: StatusLine }
  readonly stdin: NodeJS.ReadableStream & AsyncIterable<Uint8Array> & { isTTY?: boolean }
  /** Called with a handler for Ctrl-C (SIGINT) and SIGTERM, told which; returns a function that removes it. */
  onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void
}

/** The real process, its output made safe for a terminal (main/cli/terminal.ts). */
export function processIo(): CliIo {
  // A reader that went away (`| head -1`, a closed log viewer) must not end an export mid-run or
  // change its exit code: what it no longer reads is dropped, which is all a closed pipe allows.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)
  const terminal = new Terminal(process.stdout, process.stderr)
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: terminal.stdout,
    stderr: terminal.stderr,
    stdin: process.stdin as CliIo['stdin'],
    onInterrupt(handler) {
      process.on('SIGINT', handler)
      process.on('SIGTERM', handler)
      return () => {
        process.off('SIGINT', handler)
        process.off('SIGTERM', handler)
      }
    },
  }
}

/** Warnings and errors to stderr; per-file detail only with CCC_RECORDINGS_DEBUG=1. */
export function cliLogger(io: CliIo, onLine?: () => void): Logger {
  const debug = io.env.CCC_RECORDINGS_DEBUG === '1'
  return createLogger((level, line) => {
    if (level === 'debug' && !debug) return
    if (level === 'info' && !debug) return
    onLine?.()
    // One line each: a line feed in a server's message must not forge a line of ours.
    io.stderr.write(`${level}: ${terminalSafe(line)}\n`)
  })
}
