import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type Sim } from './index.ts'
import { downloadRecording, errorCode, readAll, signedUrl } from './helpers.ts'

let sim: Sim
let clock = Date.now()
beforeAll(async () => {
  sim = await startSim({ now: () => clock })
})
afterAll(() => sim.close())

const at = () => ({ now: new Date(clock) })

describe('simulator faults on DownloadRecording', () => {
  it('throttles the next `times` calls for the name, then answers normally', async () => {
    sim.resetStats()
    sim.fault('thr.wav', { kind: 'throttle', times: 2 })
    expect(await errorCode(await downloadRecording(sim, 'thr.wav', at()))).toEqual({ status: 400, code: 'Throttling' })
    expect((await downloadRecording(sim, 'other.wav', at())).status).toBe(200)
    expect(await errorCode(await downloadRecording(sim, 'thr.wav', at()))).toEqual({ status: 400, code: 'Throttling' })
    expect((await downloadRecording(sim, 'thr.wav', at())).status).toBe(200)
    expect(sim.stats.throttled).toBe(2)
    expect(sim.stats.downloadRecordingCalls.get('thr.wav')).toBe(3)
  })

  it('uses the given throttling code', async () => {
    sim.fault('thr-user.wav', { kind: 'throttle', code: 'Throttling.User' })
    expect(await errorCode(await downloadRecording(sim, 'thr-user.wav', at()))).toEqual({ status: 400, code: 'Throttling.User' })
  })

  it('answers 503 ServiceUnavailable and 500 InternalError', async () => {
    sim.fault('down.wav', { kind: 'api-unavailable' })
    sim.fault('down.wav', { kind: 'api-internal' })
    expect(await errorCode(await downloadRecording(sim, 'down.wav', at()))).toEqual({ status: 503, code: 'ServiceUnavailable' })
    expect(await errorCode(await downloadRecording(sim, 'down.wav', at()))).toEqual({ status: 500, code: 'InternalError' })
    expect((await downloadRecording(sim, 'down.wav', at())).status).toBe(200)
  })

  it('issues an already expired URL', async () => {
    sim.fault('old-url.wav', { kind: 'expire-url' })
    const res = await fetch(await signedUrl(sim, 'old-url.wav', at()))
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Message>Request has expired.</Message>')
    expect((await fetch(await signedUrl(sim, 'old-url.wav', at()))).status).toBe(200)
  })
})

describe('simulator throttling storm', () => {
  it('throttles every Nth DownloadRecording call', async () => {
    sim.setThrottleAll({ everyNth: 3 })
    const codes: number[] = []
    try {
      for (let i = 0; i < 6; i++) codes.push((await downloadRecording(sim, `storm-${i}.wav`, at())).status)
    } finally {
      sim.setThrottleAll(null)
    }
    expect(codes).toEqual([200, 200, 400, 200, 200, 400])
  })

  it('holds DownloadRecording to maxQps with a token bucket on the server clock', async () => {
    sim.resetStats()
    sim.setThrottleAll({ maxQps: 2 })
    const codes: number[] = []
    try {
      for (let i = 0; i < 3; i++) codes.push((await downloadRecording(sim, `qps-${i}.wav`, at())).status)
      clock += 500
      codes.push((await downloadRecording(sim, 'qps-3.wav', at())).status)
      codes.push((await downloadRecording(sim, 'qps-4.wav', at())).status)
    } finally {
      sim.setThrottleAll(null)
    }
    expect(codes).toEqual([200, 200, 400, 200, 400])
    expect(sim.stats.throttled).toBe(2)
  })
})

describe('simulator faults on OSS GET', () => {
  it('answers 503 ServiceUnavailable in XML', async () => {
    const url = await signedUrl(sim, 'oss-down.wav', at())
    sim.fault('oss-down.wav', { kind: 'oss-unavailable' })
    const res = await fetch(url)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('<Code>ServiceUnavailable</Code>')
    expect((await fetch(url)).status).toBe(200)
  })

  it('resets the connection after `afterBytes` of the body', async () => {
    sim.setSize('reset.wav', 300_000)
    const url = await signedUrl(sim, 'reset.wav', at())
    sim.resetStats()
    sim.fault('reset.wav', { kind: 'reset', afterBytes: 70_000 })
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('300000')
    const { bytes, error } = await readAll(res)
    expect(error).toBeDefined()
    expect(bytes.length).toBe(70_000)
    expect(bytes.equals(sim.content('reset.wav').subarray(0, 70_000))).toBe(true)
    expect(sim.stats.completeBodies.get('reset.wav')).toBeUndefined()

    const again = await fetch(url, { headers: { Range: 'bytes=70000-' } })
    expect(again.status).toBe(206)
    expect(Buffer.from(await again.arrayBuffer()).equals(sim.content('reset.wav').subarray(70_000))).toBe(true)
    expect(sim.stats.completeBodies.get('reset.wav')).toBe(1)
  })

  it('drops the connection before any reply, then answers the next GET', async () => {
    const url = await signedUrl(sim, 'drop.wav', at())
    sim.fault('drop.wav', { kind: 'drop' })
    const refused = await fetch(url).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(TypeError)
    expect((await fetch(url)).status).toBe(200)
  })

  it('ends a chunked reply cleanly after `afterBytes`, which only the length check or CRC can catch', async () => {
    const url = await signedUrl(sim, 'trunc.wav', at())
    const total = sim.content('trunc.wav').length
    sim.resetStats()
    sim.fault('trunc.wav', { kind: 'truncate', afterBytes: 100 })
    const res = await fetch(url, { headers: { Range: 'bytes=10-' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    expect(res.headers.get('content-range')).toBe(`bytes 10-${total - 1}/${total}`)
    const { bytes, error } = await readAll(res)
    expect(error).toBeUndefined()
    expect(bytes.equals(sim.content('trunc.wav').subarray(10, 110))).toBe(true)
    expect(sim.stats.completeBodies.get('trunc.wav')).toBeUndefined()
    expect(sim.stats.partialReplies.get('trunc.wav')).toBe(1)
  })

  it('paces a slow body and still delivers every byte', async () => {
    sim.setSize('slow.wav', 4000)
    const url = await signedUrl(sim, 'slow.wav', at())
    sim.resetStats()
    sim.fault('slow.wav', { kind: 'slow', bytesPerSecond: 20_000 })
    const res = await fetch(url)
    const chunks: number[] = []
    const reader = res.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value.length)
    }
    // Paced in tenths of a second: 4,000 bytes go out as two 2,000-byte writes 100 ms apart, not one.
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(4000)
    expect(sim.stats.completeBodies.get('slow.wav')).toBe(1)
  })
})
