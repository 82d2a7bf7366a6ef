import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { testConnection } from '../../../main/engine/credentials/connection-test.ts'
import { KeyringStore } from '../../../main/engine/credentials/keyring-store.ts'
import { isProfileError, ProfileStore, tokenAccount, validateToken } from '../../../main/engine/credentials/profiles.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { describeKeychain, testService } from './keyring-env.ts'

// Issue 15 item 8: a profile is edited in place (its secret kept unless a new one comes), and may
// carry an STS security token, kept in the keychain like the secret and never in profiles.json.
const TOKEN = 'CAIS+sts/Token-0123456789abcdefghijklmnopqrstuvwxyz=='
const base = { name: 'work', instanceId: 'ccc-edit', accessKeyId: 'STSabcdef0123456789' }

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-profile-edit-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

it('validateToken trims, bounds and never repeats a bad token', () => {
  expect(validateToken(`  ${TOKEN}\n`)).toBe(TOKEN)
  for (const bad of ['', '   ', 'two words', 'x'.repeat(4097)]) {
    let message = ''
    try {
      validateToken(bad)
    } catch (e) {
      if (isProfileError(e)) message = `${e.code} ${e.field} ${e.message}`
    }
    expect(message).toMatch(/^Profiles\.Invalid securityToken securityToken: /)
    if (bad.trim()) expect(message).not.toContain(bad.trim().slice(0, 20))
  }
})

it('no profile name can take the token\'s keychain account', () => {
  expect(tokenAccount('work')).toMatch(/^ /)
})

describeKeychain('editing profiles and STS tokens with the private gnome-keyring', () => {
  const secrets = new KeyringStore({ service: testService() })
  let sts: Sim
  beforeAll(async () => {
    sts = await startSim({ apiVersion: API_V2, instanceId: base.instanceId, accessKeyId: base.accessKeyId, accessKeySecret: 'sts-secret-0123456789', securityToken: TOKEN })
  })
  afterAll(async () => {
    await sts.close()
    for (const account of ['work', tokenAccount('work')]) await secrets.delete(account)
  })

  it('an edit changes the fields and keeps the secret in the keychain when none is typed', async () => {
    const s = new ProfileStore(dir, secrets)
    await s.save(base, 'first-secret-0123456789')
    await s.save({ ...base, region: 'cn-hangzhou', instanceId: 'ccc-edited', apiVersion: API_V2 })
    expect(await s.get('work')).toMatchObject({ region: 'cn-hangzhou', instanceId: 'ccc-edited', apiVersion: API_V2 })
    expect(await s.credentialsFor('work')).toEqual({ accessKeyId: base.accessKeyId, accessKeySecret: 'first-secret-0123456789' })
  })

  it('keeps a token in the keychain only; credentials carry it; the signer sends it and the STS gateway accepts it', async () => {
    const s = new ProfileStore(dir, secrets)
    const saved = await s.save(base, 'sts-secret-0123456789', { securityToken: `${TOKEN}\n` })
    expect(saved.hasSecurityToken).toBe(true)
    expect(await secrets.get(tokenAccount('work'))).toBe(TOKEN)
    const text = await readFile(s.file, 'utf8')
    expect(text).not.toContain(TOKEN.slice(5, 25))
    expect(JSON.parse(text).profiles[0]).toMatchObject({ hasSecurityToken: true })
    const credentials = await s.credentialsFor('work')
    expect(credentials).toEqual({ accessKeyId: base.accessKeyId, accessKeySecret: 'sts-secret-0123456789', securityToken: TOKEN })
    const client = new CccClient({ credentials, endpoint: sts.endpoint })
    const outcome = await testConnection(client, base.instanceId, { apiVersion: API_V2 })
    expect({ kind: outcome.kind, ok: outcome.ok }).toEqual({ kind: 'ok', ok: true })

    // An edit without a token keeps it; null removes it, and the gateway then says it is missing.
    await s.save({ ...base, region: 'cn-shanghai' })
    expect((await s.credentialsFor('work')).securityToken).toBe(TOKEN)
    await s.save(base, undefined, { securityToken: null })
    expect(await secrets.get(tokenAccount('work'))).toBeNull()
    expect((await s.get('work'))?.hasSecurityToken).toBeUndefined()
    const plain = await testConnection(new CccClient({ credentials: await s.credentialsFor('work'), endpoint: sts.endpoint }), base.instanceId, { apiVersion: API_V2 })
    expect(plain.code).toBe('MissingSecurityToken')
  })

  it('refuses an empty token, rather than saying the profile has one', async () => {
    const s = new ProfileStore(dir, secrets)
    await s.save(base, 'sts-secret-0123456789')
    const error = await s.save(base, undefined, { securityToken: '' }).catch((e: unknown) => e)
    expect(isProfileError(error) && error.field).toBe('securityToken')
    expect((await s.get('work'))?.hasSecurityToken).toBeUndefined()
    expect(await secrets.get(tokenAccount('work'))).toBeNull()
  })

  it('says so when the token\'s keychain entry has gone, and removes it with the profile', async () => {
    const s = new ProfileStore(dir, secrets)
    await s.save(base, 'sts-secret-0123456789', { securityToken: TOKEN })
    await secrets.delete(tokenAccount('work'))
    let code = ''
    await s.credentialsFor('work').catch((e: unknown) => void (code = isProfileError(e) ? e.code : 'other'))
    expect(code).toBe('Profiles.SecretMissing')
    await s.save(base, undefined, { securityToken: TOKEN })
    expect(await s.remove('work')).toBe(true)
    expect(await secrets.get(tokenAccount('work'))).toBeNull()
    expect(await secrets.get('work')).toBeNull()
  })
})
