import type { Logger } from '../engine/log.ts'
import { createLogger } from '../engine/log.ts'

/** The process at the edge: commands take it as a parameter, so tests can run them in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly stdout: { write(text: string): unknown; isTTY?: boolean }
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number }
  readonly stdin: NodeJS.ReadableStream & AsyncIterable<Uint8Array> & { isTTY?: boolean }
  /** Called with a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
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
    io.stderr.write(`${level}: ${line}\n`)
  })
}
