import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionOutcome, ConnectionOutcomeKind } from '../../../main/common/connection-outcomes.ts'
import { CONNECTION_OUTCOME_KINDS, CONNECTION_OUTCOME_TEXT } from '../../../main/common/connection-outcomes.ts'
import { CccClient, type CccClientOptions } from '../../../main/engine/ccc/client.ts'
import type { Credentials } from '../../../main/engine/ccc/sign.ts'
import { outcomeKindFor, PROBE_FILE_NAME, testConnection } from '../../../main/engine/credentials/connection-test.ts'
import { type Sim, startSim } from '../../sim/index.ts'

let sim: Sim
beforeAll(async () => {
  sim = await startSim()
})
afterAll(async () => {
  await sim.close()
})
afterEach(() => {
  sim.set({ ossOpen: true, permissions: true })
})

function client(over: Partial<Credentials> = {}, options: Partial<CccClientOptions> = {}): CccClient {
  const credentials = { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret, ...over }
  return new CccClient({ credentials, endpoint: sim.endpoint, ...options })
}

function expectOutcome(o: ConnectionOutcome, kind: ConnectionOutcomeKind, code?: string): void {
  expect({ kind: o.kind, ok: o.ok, code: o.code }).toEqual({ kind, ok: kind === 'ok', code })
  expect(o.message).toEqual(CONNECTION_OUTCOME_TEXT[kind].message)
  expect(o.action).toEqual(CONNECTION_OUTCOME_TEXT[kind].action)
}

describe('testConnection against the simulator', () => {
  it('is OK when the probe gets a URL, and keeps the URL out of the outcome', async () => {
    const before = sim.stats.downloadRecordingCalls.get(PROBE_FILE_NAME) ?? 0
    const o = await testConnection(client(), sim.instanceId)
    expectOutcome(o, 'ok', undefined)
    expect(sim.stats.downloadRecordingCalls.get(PROBE_FILE_NAME)).toBe(before + 1)
    expect(JSON.stringify(o)).not.toMatch(/Signature|OSSAccessKeyId|http/)
  })

  it('is OK when CCC answers that the recording does not exist', async () => {
    sim.remove('gone.wav')
    const o = await testConnection(client(), sim.instanceId, { fileName: 'gone.wav' })
    expectOutcome(o, 'ok', 'NotExist.Record')
    expect(o.requestId).toBeTruthy()
  })

  it('tells an unknown AccessKey ID', async () => {
    const o = await testConnection(client({ accessKeyId: 'LTAI5tNoSuchKey999' }), sim.instanceId)
    expectOutcome(o, 'access-key-id-unknown', 'InvalidAccessKeyId.NotFound')
    expect(o.status).toBe(404)
  })

  it('tells a wrong secret, without quoting the string-to-sign or the secret', async () => {
    const o = await testConnection(client({ accessKeySecret: 'wrong-secret-conn-0123456789' }), sim.instanceId)
    expectOutcome(o, 'secret-wrong', 'SignatureDoesNotMatch')
    expect(o.detail).toMatch(/signature/i)
    expect(o.detail).not.toMatch(/string to sign|AccessKeyId%3D/)
    expect(JSON.stringify(o)).not.toContain('wrong-secret-conn-0123456789')
  })

  it('tells a RAM user without permission', async () => {
    sim.set({ permissions: false })
    expectOutcome(await testConnection(client(), sim.instanceId), 'no-permission', 'Forbidden.RAM')
  })

  it('tells a wrong instance ID', async () => {
    const o = await testConnection(client(), '00000000-0000-0000-0000-000000000000')
    expectOutcome(o, 'instance-or-region-wrong', 'NotExist.Instance')
  })

  it('tells an endpoint that is no CCC gateway (a wrong region host or override)', async () => {
    const o = await testConnection(client({}, { endpoint: `${sim.endpoint}/not-ccc/` }), sim.instanceId)
    expectOutcome(o, 'instance-or-region-wrong', 'Api.WrongEndpoint')
    expect(o.status).toBe(404)
  })

  it.each([20, -20])('tells a clock off by %i minutes', async (minutes) => {
    const now = () => new Date(Date.now() + minutes * 60_000)
    expectOutcome(await testConnection(client({}, { now }), sim.instanceId), 'clock-skew', 'InvalidTimeStamp.Expired')
  })

  it('tells OSS not enabled for the instance', async () => {
    sim.set({ ossOpen: false })
    expectOutcome(await testConnection(client(), sim.instanceId), 'oss-not-open', 'OssNotOpen')
  })

  it('tells an unreachable endpoint', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
    })
    const o = await testConnection(client({}, { endpoint: `http://127.0.0.1:${port}/` }), sim.instanceId)
    expectOutcome(o, 'network', 'Network')
    expect(o.detail).toContain('ECONNREFUSED')
  })

  it('reports a transient server error as other, with its code', async () => {
    sim.fault(PROBE_FILE_NAME, { kind: 'api-unavailable' })
    const o = await testConnection(client(), sim.instanceId)
    expectOutcome(o, 'other', 'ServiceUnavailable')
    expect(o.status).toBe(503)
  })

  it('passes an abort through instead of calling it an outcome', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(testConnection(client(), sim.instanceId, { signal: controller.signal })).rejects.toThrow()
  })
})

describe('testConnection with STS credentials', () => {
  let sts: Sim
  beforeAll(async () => {
    sts = await startSim({ securityToken: 'sts-token-conn-0123456789+/=' })
  })
  afterAll(async () => {
    await sts.close()
  })
  const stsClient = (securityToken: string | undefined, accessKeySecret?: string) =>
    new CccClient({
      credentials: {
        accessKeyId: sts.accessKeyId,
        accessKeySecret: accessKeySecret ?? sts.accessKeySecret,
        ...(securityToken === undefined ? {} : { securityToken }),
      },
      endpoint: sts.endpoint,
    })

  it('is OK with the right token', async () => {
    expectOutcome(await testConnection(stsClient('sts-token-conn-0123456789+/='), sts.instanceId), 'ok')
  })

  it('tells a wrong or missing token', async () => {
    const wrong = await testConnection(stsClient('sts-token-stale-0123456789'), sts.instanceId)
    expectOutcome(wrong, 'security-token-invalid', 'InvalidSecurityToken.MismatchWithAccessKey')
    expectOutcome(await testConnection(stsClient(undefined), sts.instanceId), 'security-token-invalid', 'MissingSecurityToken')
  })

  it('keeps the token out of a wrong-secret outcome', async () => {
    const o = await testConnection(stsClient('sts-token-conn-0123456789+/=', 'wrong-secret-sts-0123456789'), sts.instanceId)
    expectOutcome(o, 'secret-wrong', 'SignatureDoesNotMatch')
    expect(JSON.stringify(o)).not.toMatch(/sts-token-conn|wrong-secret-sts/)
  })
})

describe('outcomeKindFor', () => {
  it.each([
    ['InvalidAccessKeyId.Inactive', undefined, 'access-key-id-unknown'],
    ['IncompleteSignature', 400, 'secret-wrong'],
    ['NoPermission', 403, 'no-permission'],
    ['InvalidTimeStamp.Format', 400, 'clock-skew'],
    ['InvalidAction.NotFound', 404, 'instance-or-region-wrong'],
    ['Timeout', undefined, 'network'],
    ['Network.ProxyAuth', 407, 'network'],
    ['Api.NotJson', 200, 'network'],
    ['Http.Unexpected', 502, 'other'],
    ['Throttling.User', 400, 'other'],
  ] as const)('%s (%s) → %s', (code, status, kind) => {
    expect(outcomeKindFor(code, status)).toBe(kind)
  })

  it('has a zh-CN and an en text for every outcome', () => {
    for (const kind of CONNECTION_OUTCOME_KINDS) {
      const t = CONNECTION_OUTCOME_TEXT[kind]
      for (const text of [t.message, t.action]) {
        expect(text['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
        expect(text.en).toMatch(/^[A-Z]/)
      }
    }
  })
})
