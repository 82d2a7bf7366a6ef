import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { redact } from '../../../main/common/redact.ts'
import { KeyringStore } from '../../../main/engine/credentials/keyring-store.ts'
import { ProfileStore } from '../../../main/engine/credentials/profiles.ts'
import { CredentialsError, resolveCredentials } from '../../../main/engine/credentials/resolve-credentials.ts'
import { describeKeychain, testService } from './keyring-env.ts'

const ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID'
const SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'
const TOKEN = 'ALIBABA_CLOUD_SECURITY_TOKEN'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-resolve-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function failure(p: Promise<unknown>): Promise<CredentialsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!(e instanceof CredentialsError)) throw new Error(`expected a CredentialsError, got ${String(e)}`)
  return e
}

// Without profiles the keychain is never asked, so these run everywhere.
const noKeychain = new KeyringStore({ service: 'ccc-recordings-test-never-used' })

describe('resolveCredentials from the environment', () => {
  it('takes the ALIBABA_CLOUD_* variables, with the STS token, and registers them for redaction', async () => {
    const env = { [ID]: 'STS.Nxyz123', [SECRET]: 'env-secret-resolve-0123456789', [TOKEN]: 'env-token-resolve-0123456789' }
    const r = await resolveCredentials(env, undefined, new ProfileStore(dir, noKeychain))
    expect(r).toEqual({
      source: 'env',
      credentials: { accessKeyId: 'STS.Nxyz123', accessKeySecret: 'env-secret-resolve-0123456789', securityToken: 'env-token-resolve-0123456789' },
    })
    expect(redact('a env-secret-resolve-0123456789 b env-token-resolve-0123456789')).toBe('a <redacted> b <redacted>')
  })

  it('wins over --profile, and says it did', async () => {
    const env = { [ID]: 'LTAI5tEnvKey', [SECRET]: 'env-secret-0123456789' }
    const r = await resolveCredentials(env, 'work', new ProfileStore(dir, noKeychain))
    expect(r.source).toBe('env')
    expect(r.ignoredProfile).toBe('work')
    expect(r.credentials.securityToken).toBeUndefined()
  })

  it.each([
    [{ [ID]: 'LTAI5tEnvKey' }, `${ID} is set but ${SECRET} is not`],
    [{ [SECRET]: 'env-secret-0123456789' }, `${SECRET} is set but ${ID} is not`],
    [{ [TOKEN]: 'env-token-0123456789' }, `${TOKEN} is set but ${ID} and ${SECRET} are not`],
    [{ [ID]: 'LTAI5tEnvKey', [TOKEN]: 'env-token-0123456789' }, `${ID}, ${TOKEN} are set but ${SECRET} is not`],
  ])('names the missing variable: %o', async (env, message) => {
    const e = await failure(resolveCredentials(env, undefined, new ProfileStore(dir, noKeychain)))
    expect(e.code).toBe('Credentials.Incomplete')
    expect(e.message).toContain(message)
    expect(e.message).not.toContain('env-secret-0123456789')
  })

  it('treats empty variables as unset, then finds no credentials at all', async () => {
    const e = await failure(resolveCredentials({ [ID]: '', [SECRET]: '  ' }, undefined, new ProfileStore(dir, noKeychain)))
    expect(e.code).toBe('Credentials.None')
    expect(e.message).toContain(`set ${ID} and ${SECRET}, pass --profile <name>, or add a profile`)
  })
})

describeKeychain('resolveCredentials from profiles (private gnome-keyring)', () => {
  const secrets = new KeyringStore({ service: testService() })
  afterAll(async () => {
    await secrets.delete('work')
    await secrets.delete('home')
  })
  const common = { instanceId: 'inst-1', region: 'cn-hangzhou' }

  async function twoProfiles(): Promise<ProfileStore> {
    const store = new ProfileStore(dir, secrets)
    await store.save({ ...common, name: 'work', accessKeyId: 'LTAI5tWork' }, 'work-secret-resolve-0123456789')
    await store.save({ ...common, name: 'home', accessKeyId: 'LTAI5tHome' }, 'home-secret-resolve-0123456789')
    return store
  }

  it('uses --profile before the default profile', async () => {
    const store = await twoProfiles()
    const r = await resolveCredentials({}, 'home', store)
    expect(r.source).toBe('profile')
    expect(r.credentials).toEqual({ accessKeyId: 'LTAI5tHome', accessKeySecret: 'home-secret-resolve-0123456789' })
    expect(r.profile?.name).toBe('home')
    expect(r.profile?.region).toBe('cn-hangzhou')
    expect(redact('x home-secret-resolve-0123456789')).toBe('x <redacted>')
  })

  it('falls back to the default profile', async () => {
    const store = await twoProfiles()
    expect((await resolveCredentials({}, undefined, store)).profile?.name).toBe('work')
    await store.setDefault('home')
    expect((await resolveCredentials({}, undefined, store)).credentials.accessKeyId).toBe('LTAI5tHome')
  })

  it('finds nothing when no default is set', async () => {
    const store = await twoProfiles()
    await store.setDefault(undefined)
    const e = await failure(resolveCredentials({}, undefined, store))
    expect(e.code).toBe('Credentials.None')
    // The profiles are there, none the default: the message names them and how to choose.
    expect(e.message).toContain('pass --profile <name> (work, home) or make one the default with `ccc-recordings profiles default <name>`')
  })

  it('reports an unknown --profile with the names there are', async () => {
    const store = await twoProfiles()
    await expect(resolveCredentials({}, 'nope', store)).rejects.toMatchObject({
      code: 'Profiles.NotFound',
      message: 'No profile is named "nope" (profiles: "work", "home")',
    })
  })
})
