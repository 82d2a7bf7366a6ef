import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CATALOG } from '../../../main/common/error-catalog.ts'
import { CccError } from '../../../main/common/errors.ts'
import { registerSecret } from '../../../main/common/redact.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { endpointFor } from '../../../main/engine/ccc/endpoint.ts'
import { parseReply, unquoteUrl } from '../../../main/engine/ccc/reply.ts'
import { type Sim, startSim } from '../../sim/index.ts'

let sim: Sim
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

function client(overrides: Partial<ConstructorParameters<typeof CccClient>[0]> = {}) {
  return new CccClient({
    endpoint: sim.endpoint,
    credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret },
    ...overrides,
  })
}

async function codeOf(p: Promise<unknown>): Promise<CccError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(CccError)
  return e as CccError
}

describe('CccClient.downloadRecording against the simulator', () => {
  it('returns the presigned URL with the extra quotes stripped', async () => {
    const r = await client().downloadRecording(sim.instanceId, '1531284911434-a.wav')
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/record\/.+Expires=\d+.*Signature=/)
    expect(r.url.startsWith('"')).toBe(false)
    expect(r.fileName).toBe('1531284911434-a.wav')
    const body = await fetch(r.url)
    expect(Buffer.from(await body.arrayBuffer()).equals(sim.content('1531284911434-a.wav'))).toBe(true)
  })

  it('accepts a SignatureUrl without the quotes too', async () => {
    sim.set({ quoteSignatureUrl: false })
    try {
      const r = await client().downloadRecording(sim.instanceId, 'plain.wav')
      expect(r.url).toMatch(/^http:\/\//)
    } finally {
      sim.set({ quoteSignatureUrl: true })
    }
  })

  it('signs every attempt afresh, so repeated calls never reuse a nonce', async () => {
    const c = client()
    for (let i = 0; i < 5; i++) await c.downloadRecording(sim.instanceId, 'same.wav')
  })

  it('carries an STS security token', async () => {
    const sts = await startSim({ securityToken: 'sts-token-for-tests-0123456789' })
    try {
      const good = new CccClient({
        endpoint: sts.endpoint,
        credentials: { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, securityToken: 'sts-token-for-tests-0123456789' },
      })
      await expect(good.downloadRecording(sts.instanceId, 'x.wav')).resolves.toHaveProperty('url')
      const without = new CccClient({ endpoint: sts.endpoint, credentials: { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret } })
      const e = await codeOf(without.downloadRecording(sts.instanceId, 'x.wav'))
      expect(e.fatal).toBe(true)
    } finally {
      await sts.close()
    }
  })

  it('classifies a missing record as skip, with status and RequestId', async () => {
    sim.remove('gone.wav')
    const e = await codeOf(client().downloadRecording(sim.instanceId, 'gone.wav'))
    expect(e.code).toBe('NotExist.Record')
    expect(e.status).toBe(404)
    expect(e.requestId).toBeTruthy()
    expect(e.retryable).toBe(false)
    expect(e.fatal).toBe(false)
  })

  it.each([
    ['wrong instance', () => client().downloadRecording('00000000-0000-0000-0000-000000000000', 'a.wav'), 'NotExist.Instance'],
    ['unknown key', () => client({ credentials: { accessKeyId: 'LTAIunknownKey0000', accessKeySecret: 'x' } }).downloadRecording(sim.instanceId, 'a.wav'), 'InvalidAccessKeyId.NotFound'],
    ['wrong secret', () => client({ credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: 'wrong-secret-value' } }).downloadRecording(sim.instanceId, 'a.wav'), 'SignatureDoesNotMatch'],
    ['clock 20 minutes off', () => client({ now: () => new Date(Date.now() - 20 * 60_000) }).downloadRecording(sim.instanceId, 'a.wav'), 'InvalidTimeStamp.Expired'],
  ])('stops the export on %s', async (_label, call, code) => {
    const e = await codeOf(call())
    expect(e.code).toBe(code)
    expect(e.fatal).toBe(true)
  })

  it('stops the export when OSS is not enabled, or the RAM user lacks permission', async () => {
    sim.set({ ossOpen: false })
    try {
      const e = await codeOf(client().downloadRecording(sim.instanceId, 'a.wav'))
      expect([e.code, e.fatal]).toEqual(['OssNotOpen', true])
    } finally {
      sim.set({ ossOpen: true })
    }
    sim.set({ permissions: false })
    try {
      const e = await codeOf(client().downloadRecording(sim.instanceId, 'a.wav'))
      expect([e.code, e.fatal]).toEqual(['Forbidden.RAM', true])
    } finally {
      sim.set({ permissions: true })
    }
  })

  it('classifies throttling and 503 as retryable', async () => {
    sim.fault('busy.wav', { kind: 'throttle', times: 1 })
    const t = await codeOf(client().downloadRecording(sim.instanceId, 'busy.wav'))
    expect([t.code, t.handling, t.retryable]).toEqual(['Throttling', 'throttle', true])
    sim.fault('down.wav', { kind: 'api-unavailable', times: 1 })
    const u = await codeOf(client().downloadRecording(sim.instanceId, 'down.wav'))
    expect([u.code, u.status, u.retryable]).toEqual(['ServiceUnavailable', 503, true])
  })

  it('turns a refused connection into a retryable Network error', async () => {
    const closed = await startSim()
    const endpoint = closed.endpoint
    await closed.close()
    const e = await codeOf(client({ endpoint }).downloadRecording(sim.instanceId, 'a.wav'))
    expect([e.code, e.retryable]).toEqual(['Network', true])
  })

  it('times out a silent server as a retryable Timeout, and honours an abort', async () => {
    const { createServer } = await import('node:http')
    const silent = createServer(() => undefined)
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    try {
      const e = await codeOf(client({ endpoint: `http://127.0.0.1:${port}/`, timeoutMs: 200 }).downloadRecording(sim.instanceId, 'a.wav'))
      expect([e.code, e.retryable]).toEqual(['Timeout', true])
      const ac = new AbortController()
      const p = client({ endpoint: `http://127.0.0.1:${port}/` }).downloadRecording(sim.instanceId, 'a.wav', { signal: ac.signal })
      ac.abort()
      await expect(p).rejects.toMatchObject({ name: 'AbortError' })
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
  })

  it('never lets the secret, a signature or a signed URL into an error message', async () => {
    const secret = 'super-secret-value-1234567890'
    registerSecret(secret)
    const e = await codeOf(client({ credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: secret } }).downloadRecording(sim.instanceId, 'a.wav'))
    const text = `${e.message}\n${e.stack}\n${JSON.stringify(e.toData())}`
    expect(text).not.toContain(secret)
    expect(text).not.toMatch(/Signature=[^<]/)
    const forged = new CccError({ code: 'Unknown', message: `failed http://x.oss-cn-shanghai.aliyuncs.com/record/i/a.wav?Expires=1&OSSAccessKeyId=LTAIabcdefgh&Signature=abc%3D and ${secret}` })
    expect(forged.message).not.toContain('OSSAccessKeyId=LTAI')
    expect(forged.message).not.toContain('abc%3D')
    expect(forged.message).not.toContain(secret)
  })
})

describe('reply parsing', () => {
  it('reads an XML error body for its code', () => {
    const xml = '<?xml version="1.0"?><Error><RequestId>R1</RequestId><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message></Error>'
    expect(() => parseReply(400, xml)).toThrow(expect.objectContaining({ code: 'Throttling.User', requestId: 'R1' }))
  })

  it('treats Success:false inside an HTTP 200 as an error', () => {
    expect(() => parseReply(200, JSON.stringify({ Success: false, Code: 'NotExist.Record', HttpStatusCode: 404, Message: 'x' }))).toThrow(
      expect.objectContaining({ code: 'NotExist.Record', status: 404 }),
    )
  })

  it('falls back on the HTTP status for a body that is neither JSON nor CCC XML', () => {
    expect(() => parseReply(502, '<html>Bad gateway</html>')).toThrow(expect.objectContaining({ code: 'InternalError', retryable: true }))
    expect(() => parseReply(503, 'busy')).toThrow(expect.objectContaining({ code: 'ServiceUnavailable' }))
  })

  it('reads what stands between us and CCC by its status: 407 stops, 429 slows down, a page in a 200 is tried again', () => {
    expect(() => parseReply(407, '<html>Proxy Authentication Required</html>')).toThrow(expect.objectContaining({ code: 'Network.ProxyAuth', handling: 'fatal' }))
    expect(() => parseReply(429, '<html>Too Many Requests</html>')).toThrow(expect.objectContaining({ code: 'Throttling', handling: 'throttle' }))
    expect(() => parseReply(200, '<html>Sign in to the guest network</html>')).toThrow(expect.objectContaining({ code: 'Api.NotJson', handling: 'retry' }))
    expect(() => parseReply(200, '')).toThrow(expect.objectContaining({ code: 'Api.NotJson' }))
    expect(() => parseReply(200, '42')).toThrow(expect.objectContaining({ code: 'Api.NotJson' }))
    expect(() => parseReply(418, 'teapot')).toThrow(expect.objectContaining({ code: 'Http.Unexpected' }))
  })

  it('strips one or more pairs of wrapping quotes', () => {
    expect(unquoteUrl('"http://a/b"')).toBe('http://a/b')
    expect(unquoteUrl('""http://a/b""')).toBe('http://a/b')
    expect(unquoteUrl('http://a/b')).toBe('http://a/b')
  })

  it('picks the regional endpoint where one exists', () => {
    expect(endpointFor('cn-shanghai')).toBe('https://ccc.cn-shanghai.aliyuncs.com/')
    expect(endpointFor('cn-hangzhou')).toBe('https://ccc.cn-hangzhou.aliyuncs.com/')
    expect(endpointFor('ap-southeast-1')).toBe('https://ccc.aliyuncs.com/')
  })
})

describe('error catalog', () => {
  const table: [string, number, string][] = [
    ['NotExist.Record', 404, 'skip'],
    ['NotExist.Instance', 404, 'fatal'],
    ['OssNotOpen', 404, 'fatal'],
    ['InvalidAccessKeyId.NotFound', 404, 'fatal'],
    ['InvalidAccessKeyId.Inactive', 400, 'fatal'],
    ['SignatureDoesNotMatch', 400, 'fatal'],
    ['IncompleteSignature', 400, 'fatal'],
    ['Forbidden.RAM', 403, 'fatal'],
    ['NoPermission', 400, 'fatal'],
    ['InvalidTimeStamp.Expired', 400, 'fatal'],
    ['InvalidTimeStamp.Format', 400, 'fatal'],
    ['SignatureNonceUsed', 400, 'retry'],
    ['Throttling', 400, 'throttle'],
    ['Throttling.User', 503, 'throttle'],
    ['Throttling.Api', 400, 'throttle'],
    ['ServiceUnavailable', 503, 'retry'],
    ['InternalError', 500, 'retry'],
  ]
  it.each(table)('classifies %s (HTTP %i) as %s, with zh-CN and en text', (code, status, handling) => {
    const e = new CccError({ code, status, message: 'm' })
    expect(e.handling).toBe(handling)
    const entry = ERROR_CATALOG[code as keyof typeof ERROR_CATALOG]
    expect(entry.meaning['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(entry.meaning.en).toMatch(/[a-z]/)
    expect(entry.action['zh-CN'].length).toBeGreaterThan(0)
    expect(entry.action.en.length).toBeGreaterThan(0)
  })

  it('handles unknown codes: retryable on 5xx, a skip otherwise, a throttle for any Throttling.*', () => {
    expect(new CccError({ code: 'Brand.New', status: 502, message: '' }).retryable).toBe(true)
    expect(new CccError({ code: 'Brand.New', status: 400, message: '' }).handling).toBe('skip')
    expect(new CccError({ code: 'Throttling.Tenant', status: 400, message: '' }).handling).toBe('throttle')
  })
})
