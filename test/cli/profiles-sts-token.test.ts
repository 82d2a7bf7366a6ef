import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliIo } from '../../main/cli/io.ts'
import { readCredentials } from '../../main/cli/secret-prompt.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { tokenAccount } from '../../main/engine/credentials/profiles.ts'
import { keyringCli } from './keyring-cli.ts'
import { type CliResult, runCli } from './run-cli.ts'
import { filesUnder } from '../files-under.ts'

// Only against the private keyring that scripts/with-test-keyring.sh starts: never a developer's own.
const keyring = process.env.CCC_TEST_KEYRING === '1'

const SECRET = 'cli-sts-secret-7a6b5c4d3e2f'
const TOKEN = 'CAIS+cliStsToken/0123456789abcdefghijklmnopqrstuvwxyz=='

describe.skipIf(!keyring)('ccc-recordings profiles add with an STS token (real Secret Service; skipped without the test keyring)', () => {
  // The simulator refuses every call without exactly this token, so a passing `profiles test` proves it was sent.
  const at = keyringCli('profiles-sts-cli-', { accessKeySecret: SECRET, securityToken: TOKEN })
  const outputs: CliResult[] = []
  const cli = async (args: string[], stdin?: string): Promise<CliResult> => {
    const r = await runCli(args, at.env, stdin)
    outputs.push(r)
    return r
  }
  const listed = async (name: string) => {
    const rows = JSON.parse((await cli(['profiles', 'list', '--json'])).stdout) as { name: string; hasSecurityToken: boolean }[]
    return rows.find((p) => p.name === name)
  }

  it('stores the token from stdin in the keychain, uses it, keeps it on a re-add, and removes it with --clear-sts-token, never showing it', async () => {
    const name = `sts-${process.pid}`
    const add = (extra: string[], stdin: string) =>
      cli(['profiles', 'add', name, '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint, '--secret-stdin', ...extra], stdin)
    const secrets = new KeyringStore()

    expect((await add([], `${SECRET}\n`)).code).toBe(0)
    expect((await listed(name))?.hasSecurityToken).toBe(false)
    expect((await cli(['profiles', 'test', name])).code).toBe(4)

    const withToken = await add(['--sts-token-stdin'], `${SECRET}\n${TOKEN}\n`)
    expect(withToken.stderr).toBe('')
    expect(withToken.code).toBe(0)
    expect(withToken.stdout).toMatch(/the secret and the STS token are in the system keychain/)
    expect(await secrets.get(tokenAccount(name))).toBe(TOKEN)
    expect(await secrets.get(name)).toBe(SECRET)
    expect((await listed(name))?.hasSecurityToken).toBe(true)
    expect((await cli(['profiles', 'list'])).stdout).toMatch(new RegExp(`${name} .*\\+STS token`))
    const test = await cli(['profiles', 'test', name])
    expect(test.code, test.stdout).toBe(0)
    expect(test.stdout).toMatch(/Connection OK/)

    const readded = await add([], `${SECRET}\n`)
    expect(readded.code).toBe(0)
    expect(readded.stdout).toMatch(/STS token saved before is kept/)
    expect(await secrets.get(tokenAccount(name))).toBe(TOKEN)
    expect((await cli(['profiles', 'test', name])).code).toBe(0)

    const cleared = await add(['--clear-sts-token'], `${SECRET}\n`)
    expect(cleared.code).toBe(0)
    expect(cleared.stdout).not.toMatch(/STS token/)
    expect(await secrets.get(tokenAccount(name))).toBeNull()
    expect((await listed(name))?.hasSecurityToken).toBe(false)
    expect((await cli(['profiles', 'list'])).stdout).not.toMatch(/STS token/)
    expect((await cli(['profiles', 'test', name])).code).toBe(4)

    expect((await add(['--sts-token-stdin'], `${SECRET}\r\n${TOKEN}\r\n`)).code).toBe(0)
    expect(await secrets.get(tokenAccount(name))).toBe(TOKEN)
    expect((await cli(['profiles', 'remove', name])).code).toBe(0)
    expect(await secrets.get(tokenAccount(name))).toBeNull()

    const printed = outputs.map((r) => r.stdout + r.stderr).join('\n')
    expect(printed).not.toContain(TOKEN)
    expect(printed).not.toContain(SECRET)
    for (const file of await filesUnder(join(at.work, 'config'))) expect((await readFile(file)).includes(TOKEN), file).toBe(false)
  }, 90_000)

  it('never takes the token from the command line, nor repeats it in an error', async () => {
    const name = `sts-bad-${process.pid}`
    const base = ['profiles', 'add', name, '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint]
    const refused = [
      await cli([...base, '--secret-stdin', '--sts-token', TOKEN], `${SECRET}\n`),
      await cli([...base, '--secret-stdin', `--sts-token=${TOKEN}`], `${SECRET}\n`),
      await cli([...base, '--secret-stdin', `--sts-token-stdin=${TOKEN}`], `${SECRET}\n`),
      await cli([...base, '--secret-stdin', '--sts-token-stdin', TOKEN], `${SECRET}\n`),
    ]
    for (const r of refused) {
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr + r.stdout).not.toContain(TOKEN)
    }
    expect((await listed(name)) ?? null).toBeNull()
    expect(await new KeyringStore().get(tokenAccount(name))).toBeNull()
  })

  it('refuses token input it cannot use, saving nothing', async () => {
    const name = `sts-usage-${process.pid}`
    const base = ['profiles', 'add', name, '--instance', at.sim.instanceId, '--access-key-id', at.sim.accessKeyId, '--endpoint', at.sim.endpoint]
    const cases: [string[], string, RegExp][] = [
      [['--sts-token-stdin'], `${TOKEN}\n`, /--sts-token-stdin needs --secret-stdin/],
      [['--secret-stdin', '--sts-token-stdin'], `${SECRET}\n`, /wants two lines on standard input.*it had 1/],
      [['--secret-stdin', '--sts-token-stdin'], `${SECRET}\n\n`, /securityToken: must not be empty/],
      [['--secret-stdin', '--sts-token-stdin'], `${SECRET}\n${TOKEN}\nextra\n`, /it had 3/],
      [['--secret-stdin', '--sts-token'], `${SECRET}\n`, /use --sts-token-stdin/],
      [['--sts-token'], '', /no terminal to ask for the AccessKey secret and STS token/],
      [['--secret-stdin', '--sts-token-stdin', '--clear-sts-token'], `${SECRET}\n${TOKEN}\n`, /--clear-sts-token removes the STS token/],
    ]
    for (const [extra, stdin, message] of cases) {
      const r = await cli([...base, ...extra], stdin)
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr + r.stdout).not.toContain(TOKEN)
    }
    expect((await listed(name)) ?? null).toBeNull()
  })
})

/** A terminal in raw mode, as far as the prompt can tell: keystrokes are written into it. */
function fakeTerminal(): { io: CliIo; keys: PassThrough; shown: () => string; rawModes: boolean[] } {
  const keys = new PassThrough()
  const rawModes: boolean[] = []
  Object.assign(keys, { isTTY: true, setRawMode: (on: boolean) => rawModes.push(on) })
  let shown = ''
  const io = {
    env: {},
    cwd: process.cwd(),
    stdout: { write: (t: string) => (shown += t) },
    stderr: { write: (t: string) => (shown += t) },
    stdin: keys as unknown as CliIo['stdin'],
    onInterrupt: () => () => {},
  } satisfies CliIo
  return { io, keys, shown: () => shown, rawModes }
}

describe('the hidden prompt for the secret and the STS token', () => {
  it('asks for both in turn, honours backspace, and echoes neither', async () => {
    const t = fakeTerminal()
    const read = readCredentials(t.io, { secretStdin: false, tokenStdin: false, askToken: true })
    t.keys.write('S3cq\u007fr3tX\rT0k')
    t.keys.write('enY\r')
    expect(await read).toEqual({ secret: 'S3cr3tX', securityToken: 'T0kenY' })
    expect(t.shown()).toMatch(/AccessKey secret \(not shown\): \nSTS security token \(not shown\): \n$/)
    for (const typed of ['S3c', 'r3tX', 'T0k', 'enY']) expect(t.shown()).not.toContain(typed)
    expect(t.rawModes).toEqual([true, false])
  })

  it('asks for the secret alone without --sts-token, and stops at Ctrl-C', async () => {
    const one = fakeTerminal()
    const read = readCredentials(one.io, { secretStdin: false, tokenStdin: false, askToken: false })
    one.keys.write('only\n')
    expect(await read).toEqual({ secret: 'only' })
    expect(one.shown()).not.toMatch(/STS/)

    const cancelled = fakeTerminal()
    const stopped = readCredentials(cancelled.io, { secretStdin: false, tokenStdin: false, askToken: true })
    cancelled.keys.write('abc\rde\u0003')
    await expect(stopped).rejects.toThrow(/cancelled/)
    expect(cancelled.rawModes).toEqual([true, false])
  })
})
