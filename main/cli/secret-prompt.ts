import type { CliIo } from './io.ts'
import { UsageError } from './exit-codes.ts'

/**
 * The AccessKey secret, from a prompt that does not echo, or from stdin with --secret-stdin; never
 * from a flag, which would leave it in the shell history and in `ps` for every user to read.
 */
export async function readSecret(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = []
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk))
    const secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
    if (!secret) throw new UsageError('--secret-stdin: nothing was read from standard input')
    return secret
  }
  const stdin = io.stdin as NodeJS.ReadStream
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new UsageError('no terminal to ask for the AccessKey secret: pipe it in with --secret-stdin')
  }
  io.stderr.write('AccessKey secret (not shown): ')
  stdin.setRawMode(true)
  stdin.resume()
  try {
    let secret = ''
    for await (const chunk of stdin) {
      for (const ch of Buffer.from(chunk).toString('utf8')) {
        if (ch === '\r' || ch === '\n') return secret
        if (ch === '\u0003') throw new UsageError('cancelled')
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1)
        else secret += ch
      }
    }
    return secret
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    io.stderr.write('\n')
  }
}
