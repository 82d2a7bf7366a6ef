import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { CccError } from '../../main/common/errors.ts'
import { main } from '../../main/cli/ccc-recordings.ts'
import { EXIT, isInputError, UsageError } from '../../main/cli/exit-codes.ts'
import type { CliIo } from '../../main/cli/io.ts'
import { ProfileError } from '../../main/engine/credentials/profiles.ts'
import { CredentialsError } from '../../main/engine/credentials/resolve-credentials.ts'
import { SecretStoreError } from '../../main/engine/credentials/secret-store.ts'
import { ExportInUseError } from '../../main/engine/export/folder-lock.ts'
import { ImportError } from '../../main/engine/import/import-error.ts'
import { SourceError } from '../../main/engine/import/sources.ts'

const coded = (code: string) => new CccError({ code, message: code })

describe('the CLI sorts errors by catalog code', () => {
  it('takes bad usage, input and set-up for exit 2, whatever class carries the code', () => {
    const input = [
      new UsageError('bad flag'),
      new ImportError('not-text', 'a.wav', 'not text'),
      new SourceError('from', 'not a time'),
      new CredentialsError('Credentials.None', 'none'),
      new ProfileError('Profiles.NotFound', 'no such profile'),
      new SecretStoreError('Keychain.Locked', 'p', ''),
      new ExportInUseError('open elsewhere'),
      coded('Export.Conflict'),
      coded('Export.NotFound'),
      coded('Export.Busy'),
      coded('Template.Invalid'),
      coded('Filter.Invalid'),
    ]
    for (const e of input) expect(isInputError(e), e.code).toBe(true)
  })

  it('leaves everything else to exit 1', () => {
    for (const e of [coded('Unknown'), coded('Local.WriteFailed'), coded('Network'), coded('Export.NotRunning'), new Error('x'), 'text', undefined]) {
      expect(isInputError(e)).toBe(false)
    }
  })
})

function memoryIo(): CliIo & { err: () => string; out: () => string } {
  let err = ''
  let out = ''
  return {
    env: {},
    cwd: process.cwd(),
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: Readable.from([]) as unknown as CliIo['stdin'],
    onInterrupt: () => () => {},
    err: () => err,
    out: () => out,
  }
}

describe('main', () => {
  it('answers an unknown command with one line and exit 2', async () => {
    const io = memoryIo()
    expect(await main(['frobnicate'], io)).toBe(EXIT.usage)
    expect(io.err()).toBe('ccc-recordings: unknown command "frobnicate"; run ccc-recordings --help\n')
  })

  it('prints a refusal as one JSON object on stdout when --json was asked, as well as its words on stderr', async () => {
    const io = memoryIo()
    const args = ['download', '--from', '2026-03-01T00:00:00+08:00', '--to', 'tomorrow-ish', '--out', '/tmp/x', '--instance', 'i', '--json']
    expect(await main(args, { ...io, env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItest', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-shown-secret' } })).toBe(EXIT.usage)
    const printed = JSON.parse(io.out()) as { error: { code: string; message: string }; exitCode: number }
    expect(printed).toMatchObject({ error: { code: 'Usage', message: expect.stringContaining('--to: "tomorrow-ish"') }, exitCode: 2 })
    expect(io.err()).toContain(printed.error.message)
    // Without --json, stdout stays empty.
    const plain = memoryIo()
    await main(args.slice(0, -1), plain)
    expect(plain.out()).toBe('')
  })

  it.each([
    ['download', '--help', /^Usage: ccc-recordings download /],
    ['verify', '-h', /^Usage: ccc-recordings verify /],
    ['schedule', '--help', /^Usage: ccc-recordings schedule /],
    ['profiles', 'add --help', /^Usage: ccc-recordings profiles /],
    ['sync', '--out /x --help', /^Usage: ccc-recordings sync /],
  ])('prints the usage of %s for %s, with the exit codes, and exits 0', async (command, args, usage) => {
    const io = memoryIo()
    expect(await main([command, ...args.split(' ')], io)).toBe(EXIT.ok)
    expect(io.out()).toMatch(usage)
    expect(io.out()).toContain('Exit codes:')
    expect(io.err()).toBe('')
  })
})
