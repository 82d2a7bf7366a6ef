import { StringDecoder } from 'node:string_decoder'
import type { CliIo } from './io.ts'
import { UsageError } from './exit-codes.ts'

/**
 * The AccessKey secret and the STS security token come from a prompt that does not echo, or from
 * stdin with --secret-stdin / --sts-token-stdin; never from a flag, which would leave them in the
 * shell history and in `ps` for every user to read. Messages here never repeat what was read.
 */

export interface CredentialSources {
  /** --secret-stdin: the secret is standard input (its first line when the token is there too). */
  readonly secretStdin: boolean
  /** --sts-token-stdin: the STS token is standard input's second line. */
  readonly tokenStdin: boolean
  /** --sts-token: ask for the STS token at the terminal, after the secret. */
  readonly askToken: boolean
}

export interface ReadCredentials {
  readonly secret: string
  readonly securityToken?: string
}

const SECRET_LABEL = 'AccessKey secret (not shown): '
const TOKEN_LABEL = 'STS security token (not shown): '

export async function readCredentials(io: CliIo, from: CredentialSources): Promise<ReadCredentials> {
  // Standard input is read once: a token on it shares it with the secret, one a line.
  if (from.tokenStdin && !from.secretStdin) {
    throw new UsageError('--sts-token-stdin needs --secret-stdin too: standard input then holds the secret on its first line and the STS token on its second')
  }
  if (from.askToken && from.secretStdin) {
    throw new UsageError('--sts-token asks at the terminal, and --secret-stdin takes standard input: use --sts-token-stdin with it (the token on the second line)')
  }
  if (!from.secretStdin) {
    const [secret = '', securityToken] = await promptHidden(io, from.askToken ? [SECRET_LABEL, TOKEN_LABEL] : [SECRET_LABEL])
    return securityToken === undefined ? { secret } : { secret, securityToken }
  }
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk))
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) throw new UsageError('--secret-stdin: nothing was read from standard input')
  if (!from.tokenStdin) return { secret: text.replace(/\r?\n$/, '') }
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  if (lines.length !== 2) {
    throw new UsageError(`--secret-stdin with --sts-token-stdin wants two lines on standard input, the secret then the STS token; it had ${lines.length}`)
  }
  return { secret: lines[0]!, securityToken: lines[1]! }
}

/**
 * One answer per label, typed without echo in raw mode. Listens for 'data' rather than iterating
 * the stream: leaving a for-await destroys stdin, and a second answer (or a pasted one that
 * arrived in the first answer's chunk) would be lost.
 */
async function promptHidden(io: CliIo, labels: readonly string[]): Promise<string[]> {
  const stdin = io.stdin as NodeJS.ReadStream
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new UsageError(
      labels.length > 1
        ? 'no terminal to ask for the AccessKey secret and STS token: pipe them in, one a line, with --secret-stdin --sts-token-stdin'
        : 'no terminal to ask for the AccessKey secret: pipe it in with --secret-stdin',
    )
  }
  const answers: string[] = []
  const decoder = new StringDecoder('utf8')
  let current = ''
  io.stderr.write(labels[0]!)
  stdin.setRawMode(true)
  try {
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        stdin.off('data', onData)
        stdin.off('end', onEnd)
        if (error) reject(error)
        else resolve()
      }
      const onEnd = (): void => {
        // Input closed early: what was typed stands, and an empty answer is refused when saved.
        answers.push(current)
        while (answers.length < labels.length) answers.push('')
        finish()
      }
      const onData = (chunk: Buffer | string): void => {
        for (const ch of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
          if (ch === '\u0003') return finish(new UsageError('cancelled'))
          if (ch === '\u007f' || ch === '\b') current = current.slice(0, -1)
          else if (ch !== '\r' && ch !== '\n') current += ch
          else {
            answers.push(current)
            current = ''
            if (answers.length === labels.length) return finish()
            io.stderr.write(`\n${labels[answers.length]!}`)
          }
        }
      }
      stdin.on('data', onData)
      stdin.on('end', onEnd)
      stdin.resume()
    })
    return answers
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    io.stderr.write('\n')
  }
}
