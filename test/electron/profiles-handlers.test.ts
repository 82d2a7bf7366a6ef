import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileSummary } from '../../main/common/api.ts'
import type { ConnectionOutcome } from '../../main/common/connection-outcomes.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

// The profiles area of the handler map (main/electron/handlers/profiles.ts) against the real
// keychain and simulators: editing a profile (issue 15 item 8), STS tokens, and the connection
// test telling the API generations apart (issue 14 item 1).
const keyring = process.env.CCC_TEST_KEYRING === '1'
const TOKEN = 'CAIS+handlers/sts-Token-0123456789abcdefghij=='

describe.skipIf(!keyring)('profiles handlers with the real keychain', () => {
  let sts: Sim
  let v2: Sim
  let dir: string
  let handlers: ReturnType<typeof createHandlers>
  const replies: string[] = []
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await dispatch(handlers, method, request)
    replies.push(JSON.stringify(reply))
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }

  beforeAll(async () => {
    sts = await startSim({ securityToken: TOKEN, accessKeyId: 'STSHandlersKey0001' })
    v2 = await startSim({ apiVersion: '2020-07-01', instanceId: 'ccc-handlers-v2' })
    dir = await mkdtemp(join(tmpdir(), 'profiles-handlers-'))
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-profiles-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: () => {},
    })
  })
  afterAll(async () => {
    for (const name of ['sts', 'two']) await dispatch(handlers, 'profiles:remove', { name })
    await handlers.close()
    await Promise.all([sts.close(), v2.close()])
    await rm(dir, { recursive: true, force: true })
  })

  it('saves STS credentials: the token goes to the keychain only and is sent with every call', async () => {
    const saved = await value<ProfileSummary>('profiles:save', {
      profile: { name: 'sts', region: 'cn-shanghai', instanceId: sts.instanceId, accessKeyId: sts.accessKeyId, endpoint: sts.endpoint },
      secret: sts.accessKeySecret,
      securityToken: TOKEN,
    })
    expect(saved.hasSecurityToken).toBe(true)
    expect(await value<ConnectionOutcome>('profiles:test', { name: 'sts' })).toMatchObject({ kind: 'ok', ok: true })
    const file = await readFile(join(dir, 'config', 'profiles.json'), 'utf8')
    for (const text of [file, ...replies]) {
      expect(text).not.toContain(TOKEN.slice(4, 30))
      expect(text).not.toContain(sts.accessKeySecret)
    }
  })

  it('edits a profile without its key ID, secret or token: all three are kept', async () => {
    const before = (await value<ProfileSummary[]>('profiles:list')).find((p) => p.name === 'sts')!
    const edited = await value<ProfileSummary>('profiles:save', { profile: { name: 'sts', region: 'cn-hangzhou', instanceId: sts.instanceId, endpoint: sts.endpoint } })
    expect(edited).toMatchObject({ region: 'cn-hangzhou', accessKeyIdMasked: before.accessKeyIdMasked, hasSecurityToken: true })
    expect(await value<ConnectionOutcome>('profiles:test', { name: 'sts' })).toMatchObject({ ok: true })
    // null removes the token: the STS gateway then misses it.
    const plain = await value<ProfileSummary>('profiles:save', { profile: { name: 'sts', region: 'cn-hangzhou', instanceId: sts.instanceId, endpoint: sts.endpoint }, securityToken: null })
    expect(plain.hasSecurityToken).toBeUndefined()
    expect(await value<ConnectionOutcome>('profiles:test', { name: 'sts' })).toMatchObject({ kind: 'security-token-invalid', code: 'MissingSecurityToken' })
  })

  it('a new profile still needs its key ID', async () => {
    const reply = await dispatch(handlers, 'profiles:save', { profile: { name: 'new-one', region: 'cn-shanghai', instanceId: 'x' }, secret: 'some-secret-0123456789' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'Profiles.Invalid', message: expect.stringMatching(/accessKeyId/) } })
  })

  it('tests a 2.0 instance under a profile without a generation: offers 2020-07-01, then passes once it is saved', async () => {
    const profile = { name: 'two', region: 'cn-shanghai', instanceId: v2.instanceId, accessKeyId: v2.accessKeyId, endpoint: v2.endpoint }
    await value('profiles:save', { profile, secret: v2.accessKeySecret })
    const first = await value<ConnectionOutcome>('profiles:test', { name: 'two' })
    expect(first).toMatchObject({ kind: 'instance-is-v2', ok: false, code: 'Api.InstanceIsV2', apiVersion: '2020-07-01' })
    const saved = await value<ProfileSummary>('profiles:save', { profile: { ...profile, apiVersion: first.apiVersion } })
    expect(saved.apiVersion).toBe('2020-07-01')
    expect(await value<ConnectionOutcome>('profiles:test', { name: 'two' })).toMatchObject({ kind: 'ok', ok: true, apiVersion: '2020-07-01' })
  })
})
