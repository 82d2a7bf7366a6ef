import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { classifyKeyringError, KEYCHAIN_SERVICE, KeyringStore } from '../../../main/engine/credentials/keyring-store.ts'
import { isSecretStoreError, SecretStoreError } from '../../../main/engine/credentials/secret-store.ts'
import { titled } from '../../requirement.ts'
import { describeKeychain, testService } from './keyring-env.ts'

const run = promisify(execFile)
const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../../..')
const child = path.join(here, 'fixtures', 'keyring-child.ts')

interface ChildReply {
  result?: unknown
  error?: { name: string; code: string; message: string; detail: string }
}

function lastJson(stdout: string): ChildReply {
  const line = stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as ChildReply
}

/** An env for a child: no display (a keyring prompt must fail, not pop up), no inherited session. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  for (const k of ['DISPLAY', 'WAYLAND_DISPLAY', 'CCC_TEST_KEYRING', 'CCC_TEST_KEYRING_SESSION', 'CCC_NO_TEST_KEYRING']) delete env[k]
  return env
}

describeKeychain('KeyringStore on the private gnome-keyring', () => {
  const service = testService()
  const store = new KeyringStore({ service })

  afterAll(async () => {
    await store.delete('work')
    await store.delete('home')
  })

  it('saves, reads, replaces and removes a secret', async () => {
    expect(await store.get('work')).toBeNull()
    await store.set('work', 'first-secret-0123456789')
    expect(await store.get('work')).toBe('first-secret-0123456789')
    await store.set('work', 'second-secret-0123456789')
    expect(await store.get('work')).toBe('second-secret-0123456789')
    expect(await store.delete('work')).toBe(true)
    expect(await store.get('work')).toBeNull()
    expect(await store.delete('work')).toBe(false)
  })

  it('keeps a second profile apart from the first', async () => {
    await store.set('work', 'work-secret-0123456789')
    await store.set('home', 'home-secret-0123456789')
    expect(await store.get('work')).toBe('work-secret-0123456789')
    expect(await store.get('home')).toBe('home-secret-0123456789')
    await store.delete('work')
    expect(await store.get('home')).toBe('home-secret-0123456789')
  })

  it('keeps non-ASCII profile names and secrets intact', async () => {
    await store.set('客服 录音', 'sécret-中文-0123456789')
    expect(await store.get('客服 录音')).toBe('sécret-中文-0123456789')
    expect(await store.delete('客服 录音')).toBe(true)
  })

  it('writes to the Secret Service itself, under service and account, not a fallback store', async () => {
    await store.set('home', 'home-secret-visible-to-secret-tool')
    const { stdout } = await run('secret-tool', ['lookup', 'service', service, 'username', 'home'])
    expect(stdout).toBe('home-secret-visible-to-secret-tool')
  })

  it('uses the service name the app and the CLI share', () => {
    expect(KEYCHAIN_SERVICE).toBe('ccc-recordings')
  })

  it('reports a locked keyring as Keychain.Locked, with what to do (own private session)', async () => {
    const tool = (op: string) => `node --import tsx "${child}" ${op} "${service}" locked-profile`
    const lock =
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
      'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null'
    const { stdout } = await run(
      'sh',
      [path.join(repo, 'scripts/with-test-keyring.sh'), 'sh', '-c', `${tool('set')} && ${lock} && ${tool('get')}`],
      { cwd: repo, env: childEnv({ CHILD_SECRET: 'locked-secret-0123456789' }) },
    )
    const lines = stdout.trim().split('\n')
    expect(JSON.parse(lines[0] ?? '')).toEqual({ result: null })
    const reply = lastJson(stdout)
    expect(reply.error?.code).toBe('Keychain.Locked')
    expect(reply.error?.message).toMatch(/locked/i)
    expect(reply.error?.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
    expect(stdout).not.toContain('locked-secret-0123456789')
  })
})

describeKeychain('KeyringStore on a Secret Service whose keyring was deleted', () => {
  it('says there is no default keyring to save into, and what to do (own private session)', async () => {
    const service = testService()
    const tool = (op: string) => `node --import tsx "${child}" ${op} "${service}" orphan`
    const deleteLogin =
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login ' +
      'org.freedesktop.Secret.Collection.Delete >/dev/null'
    const { stdout } = await run('sh', [path.join(repo, 'scripts/with-test-keyring.sh'), 'sh', '-c', `${deleteLogin} && ${tool('set')}`], {
      cwd: repo,
      env: childEnv({ CHILD_SECRET: 'orphan-secret-0123456789' }),
    })
    const reply = lastJson(stdout)
    expect(reply.error?.code).toBe('Keychain.NoKeyring')
    expect(reply.error?.message).toContain('Profile "orphan"')
    expect(reply.error?.message).toMatch(/no default keyring/)
    expect(reply.error?.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
    expect(stdout).not.toContain('orphan-secret-0123456789')
  })
})

describe.skipIf(process.platform !== 'linux')(titled('KeyringStore without a Secret Service (Linux)', process.platform === 'linux' ? null : 'the Secret Service is Linux only'), () => {
  it('fails with a clear Keychain.Unavailable error, never a silent fallback', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ccc-no-bus-'))
    try {
      const env = childEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}`, CHILD_SECRET: 'never-stored-0123456789' })
      const set = lastJson((await run(process.execPath, ['--import', 'tsx', child, 'set', testService(), 'work'], { cwd: repo, env })).stdout)
      expect(set.error?.name).toBe('SecretStoreError')
      expect(set.error?.code).toBe('Keychain.Unavailable')
      expect(set.error?.message).toContain('Profile "work"')
      expect(set.error?.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID')
      expect(set.error?.message).toContain('never written to a file')
      expect(set.error?.detail).toMatch(/DBus|D-Bus/)
      expect(JSON.stringify(set)).not.toContain('never-stored-0123456789')
      // Reading must fail too, not answer "no secret" from some other store.
      const get = lastJson((await run(process.execPath, ['--import', 'tsx', child, 'get', testService(), 'work'], { cwd: repo, env })).stdout)
      expect(get.error?.code).toBe('Keychain.Unavailable')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('classifyKeyringError', () => {
  // Texts as @napi-rs/keyring 2.1 and the platforms' keychains produce them.
  const nested = (...texts: string[]): Error =>
    texts.reduceRight<Error | undefined>((cause, text) => new Error(text, cause ? { cause } : undefined), undefined) as Error

  it('reads a locked Secret Service or macOS keychain as Keychain.Locked', () => {
    expect(classifyKeyringError(nested("Couldn't access platform storage: Secret Service: unlock prompt was dismissed")).code).toBe('Keychain.Locked')
    expect(classifyKeyringError(nested('Platform secure storage failure: Secret Service: object locked')).code).toBe('Keychain.Locked')
    expect(classifyKeyringError(nested('Platform secure storage failure: User interaction is not allowed.')).code).toBe('Keychain.Locked')
  })

  it('reads a refused prompt as Keychain.Denied', () => {
    expect(classifyKeyringError(nested('Platform secure storage failure: The user canceled the operation.')).code).toBe('Keychain.Denied')
    expect(classifyKeyringError(nested('Platform failure: access denied')).code).toBe('Keychain.Denied')
  })

  it('reads a missing bus or provider as Keychain.Unavailable, with the text from down the cause chain', () => {
    const e = nested('Platform failure: DBus error: Failed to connect to socket /x', 'DBus error: Failed to connect to socket /x', 'Failed to connect to socket /x')
    const { code, detail } = classifyKeyringError(e)
    expect(code).toBe('Keychain.Unavailable')
    expect(detail).toBe('Platform failure: DBus error: Failed to connect to socket /x')
  })

  it('reads a Secret Service with no default keyring as Keychain.NoKeyring', () => {
    expect(classifyKeyringError(nested("Couldn't access platform storage: Secret Service: no result found")).code).toBe('Keychain.NoKeyring')
  })

  it('makes a SecretStoreError whose message names the profile and the remedy', () => {
    const e = new SecretStoreError('Keychain.Locked', 'work', 'Secret Service: object locked')
    expect(isSecretStoreError(e)).toBe(true)
    expect(e.message).toContain('Profile "work"')
    expect(e.message).toMatch(/Unlock it/)
    expect(e.message).toContain('[Secret Service: object locked]')
  })
})
