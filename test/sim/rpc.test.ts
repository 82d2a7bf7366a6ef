import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signature } from '../../main/engine/ccc/sign.ts'
import { startSim, type Sim } from './index.ts'
import { call, downloadRecording, errorCode, signedUrl } from './helpers.ts'

let sim: Sim
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

const MIN = 60_000

describe('simulator RPC gateway', () => {
  it('accepts a signed POST and answers the DownloadRecording shape with a quoted URL', async () => {
    const res = await downloadRecording(sim, 'post.wav')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/json/)
    const body = (await res.json()) as Record<string, unknown> & { MediaDownloadParam: { SignatureUrl: string; FileName: string } }
    expect(body).toMatchObject({ Success: true, Code: 'OK', Message: '', HttpStatusCode: 200 })
    expect(body.RequestId).toEqual(expect.any(String))
    expect(body.MediaDownloadParam.FileName).toBe('post.wav')
    expect(body.MediaDownloadParam.SignatureUrl).toMatch(
      new RegExp(`^"${sim.endpoint}/record/${sim.instanceId}/post\\.wav\\?Expires=\\d+&OSSAccessKeyId=[^&]+&Signature=[^&"]+"$`),
    )
  })

  it('accepts a signed GET', async () => {
    const res = await downloadRecording(sim, 'get.wav', { method: 'GET' })
    expect(res.status).toBe(200)
  })

  it('rejects a signature made with the wrong secret, or with the other method word', async () => {
    expect(await errorCode(await downloadRecording(sim, 'a.wav', { secret: 'not-the-secret' }))).toEqual({
      status: 400,
      code: 'SignatureDoesNotMatch',
    })
    // Signed as GET, sent as POST.
    const res = await call(sim, 'DownloadRecording', { InstanceId: sim.instanceId, FileName: 'a.wav' }, {
      method: 'POST',
      edit: (p) => {
        p.Signature = signature('GET', p, sim.accessKeySecret)
      },
      sign: false,
    })
    expect(await errorCode(res)).toEqual({ status: 400, code: 'SignatureDoesNotMatch' })
  })

  it('wants a Signature at all', async () => {
    expect(await errorCode(await downloadRecording(sim, 'a.wav', { sign: false }))).toEqual({ status: 400, code: 'IncompleteSignature' })
  })

  it('rejects a timestamp more than 15 minutes off, either way', async () => {
    for (const off of [-16 * MIN, 16 * MIN]) {
      const res = await downloadRecording(sim, 'a.wav', { now: new Date(Date.now() + off) })
      expect(await errorCode(res)).toEqual({ status: 400, code: 'InvalidTimeStamp.Expired' })
    }
    expect((await downloadRecording(sim, 'a.wav', { now: new Date(Date.now() - 10 * MIN) })).status).toBe(200)
  })

  it('rejects a timestamp with milliseconds or an offset', async () => {
    for (const ts of ['2026-01-01T00:00:00.000Z', '2026-01-01T08:00:00+08:00', '2026-13-01T00:00:00Z']) {
      const res = await downloadRecording(sim, 'a.wav', { edit: (p) => void (p.Timestamp = ts) })
      expect(await errorCode(res)).toEqual({ status: 400, code: 'InvalidTimeStamp.Format' })
    }
  })

  it('refuses a reused nonce once it was accepted', async () => {
    const nonce = `nonce-${Math.random()}`
    expect((await downloadRecording(sim, 'a.wav', { nonce })).status).toBe(200)
    expect(await errorCode(await downloadRecording(sim, 'a.wav', { nonce }))).toEqual({ status: 400, code: 'SignatureNonceUsed' })
  })

  it('answers XML, success and error alike, when Format is not JSON', async () => {
    const ok = await downloadRecording(sim, 'x&y.wav', { edit: (p) => delete p.Format })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/xml/)
    const text = await ok.text()
    expect(text).toMatch(/^<\?xml .*<DownloadRecordingResponse><RequestId>[^<]+<\/RequestId><Success>true<\/Success>/)
    expect(text).toMatch(/<SignatureUrl>"http:\/\/127\.0\.0\.1:\d+\/record\/[^<]*x%26y\.wav\?Expires=\d+&amp;OSSAccessKeyId=/)
    expect(text).toContain('<FileName>x&amp;y.wav</FileName>')

    const bad = await downloadRecording(sim, 'a.wav', { secret: 'wrong', edit: (p) => void (p.Format = 'XML') })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/<Error><RequestId>.*<Code>SignatureDoesNotMatch<\/Code>/)
  })

  it('knows one AccessKey, one instance and one action', async () => {
    expect(await errorCode(await downloadRecording(sim, 'a.wav', { accessKeyId: 'LTAI5tSomebodyElse99' }))).toEqual({
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
    })
    expect(await errorCode(await call(sim, 'DownloadRecording', { InstanceId: 'other', FileName: 'a.wav' }))).toEqual({
      status: 404,
      code: 'NotExist.Instance',
    })
    expect(await errorCode(await call(sim, 'NoSuchAction', {}))).toEqual({ status: 404, code: 'InvalidAction.NotFound' })
  })

  it('says NotExist.Record for a removed recording, and serves it again after a new upload', async () => {
    sim.remove('gone.wav')
    expect(await errorCode(await downloadRecording(sim, 'gone.wav'))).toEqual({ status: 404, code: 'NotExist.Record' })
    sim.replace('gone.wav')
    expect((await downloadRecording(sim, 'gone.wav')).status).toBe(200)
  })

  it('switches OSS, RAM permission and URL quoting at run time', async () => {
    sim.set({ ossOpen: false })
    expect(await errorCode(await downloadRecording(sim, 'a.wav'))).toEqual({ status: 404, code: 'OssNotOpen' })
    sim.set({ ossOpen: true, permissions: false })
    expect(await errorCode(await downloadRecording(sim, 'a.wav'))).toEqual({ status: 403, code: 'Forbidden.RAM' })
    sim.set({ permissions: true, quoteSignatureUrl: false })
    const body = (await (await downloadRecording(sim, 'a.wav')).json()) as { MediaDownloadParam: { SignatureUrl: string } }
    sim.set({ quoteSignatureUrl: true })
    expect(body.MediaDownloadParam.SignatureUrl.startsWith('http://')).toBe(true)
  })

  it('percent-encodes an awkward file name into a URL that serves it', async () => {
    const name = "a b*c~d+e(1)!'中#?.wav"
    const url = await signedUrl(sim, name, { method: 'GET' })
    expect(url).toContain('/a%20b*c~d%2Be(1)!\'%E4%B8%AD%23%3F.wav?')
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(sim.content(name))).toBe(true)
  })

  it('counts calls by action and by file name, whatever the outcome', async () => {
    sim.resetStats()
    await downloadRecording(sim, 'counted.wav')
    await downloadRecording(sim, 'counted.wav', { secret: 'wrong' })
    await call(sim, 'NoSuchAction', {})
    expect(sim.stats.apiCalls).toBe(3)
    expect(sim.stats.actionCalls.get('DownloadRecording')).toBe(2)
    expect(sim.stats.actionCalls.get('NoSuchAction')).toBe(1)
    expect(sim.stats.downloadRecordingCalls.get('counted.wav')).toBe(2)
  })
})

describe('simulator RPC gateway with STS credentials', () => {
  let sts: Sim
  beforeAll(async () => {
    sts = await startSim({ securityToken: 'CAIS-sim-token-0001' })
  })
  afterAll(() => sts.close())

  it('wants the SecurityToken, signed like any other parameter', async () => {
    expect(await errorCode(await downloadRecording(sts, 'a.wav'))).toEqual({ status: 400, code: 'MissingSecurityToken' })
    expect(await errorCode(await downloadRecording(sts, 'a.wav', { securityToken: 'other' }))).toEqual({
      status: 400,
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
    })
    expect((await downloadRecording(sts, 'a.wav', { securityToken: 'CAIS-sim-token-0001' })).status).toBe(200)
  })
})
