import { describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { NetworkGate } from '../../../main/engine/export/network-gate.ts'
import { rejectionOf } from '../../rejection.ts'
import { ManualClock } from './manual-clock.ts'

const never = new AbortController().signal

describe('network gate', () => {
  it('lets failures count as attempts until the threshold, then holds them without spending any', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 3, baseMs: 1000, capMs: 8000 })
    expect(await gate.failed(never)).toBe(false)
    expect(await gate.failed(never)).toBe(false)
    const held = gate.failed(never)
    expect(gate.waitingSince).toBe(0)
    let released = false
    void held.then(() => (released = true))
    await clock.advance(999)
    expect(released).toBe(false)
    await clock.advance(1)
    expect(released).toBe(true)
    expect(await held).toBe(true)
  })

  it('sends one probe at a time with a doubling delay, and opens for all on the first success', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 100, capMs: 400 })
    const released: number[] = []
    const waits = [0, 1, 2].map((i) => gate.failed(never).then(() => released.push(i)))
    await clock.advance(100)
    expect(released).toEqual([0])
    // The probe failed: it waits again, behind the others; the next probe goes 200 ms later.
    const again = gate.failed(never).then(() => released.push(9))
    await clock.advance(199)
    expect(released).toEqual([0])
    await clock.advance(1)
    expect(released).toEqual([0, 1])
    expect(gate.nextProbeAt).toBe(300 + 400)
    gate.succeeded()
    await Promise.all([...waits, again])
    expect(released.sort()).toEqual([0, 1, 2, 9])
    expect(gate.waitingSince).toBeUndefined()
  })

  it('gives up after the set time: every waiter is told with Network.GaveUp', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 1000, capMs: 1000, giveUpAfterMs: 3000 })
    const first = gate.failed(never)
    await clock.advance(1000)
    await first
    // The probe at 2 s still goes; it fails, and at 3 s the gate gives up instead of probing again.
    const second = gate.failed(never)
    await clock.advance(1000)
    expect(await second).toBe(true)
    const third = rejectionOf<{ code: string; message: string }>(gate.failed(never))
    await clock.advance(1000)
    expect(await third).toMatchObject({ code: 'Network.GaveUp', message: expect.stringMatching(/^The network was down for 3 s;/) })
    expect(gate.waitingSince).toBeUndefined()
  })

  it('gives up at the time set, not at the first probe after it', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 4000, capMs: 60_000, giveUpAfterMs: 10_000 })
    const first = gate.failed(never)
    await clock.advance(4000)
    await first
    // The next probe would go at 12 s (4 s, then 8 s later): the gate gives up at 10 s.
    const second = rejectionOf<{ code: string }>(gate.failed(never))
    await clock.advance(6000)
    expect(await second).toMatchObject({ code: 'Network.GaveUp' })
    expect(clock.now()).toBe(10_000)
  })

  it('says what the last failure was, while it waits and when it gives up (a host that does not resolve)', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 1000, capMs: 1000, giveUpAfterMs: 1000 })
    const dns = new CccError({ code: 'Network', message: 'DownloadRecording: ENOTFOUND: getaddrinfo ENOTFOUND ccc.nowhere.invalid' })
    const waiting = rejectionOf<{ code: string; message: string }>(gate.afterError(dns, never).then(() => gate.afterError(dns, never)))
    expect(gate.lastFailure).toBe('DownloadRecording: ENOTFOUND: getaddrinfo ENOTFOUND ccc.nowhere.invalid')
    await clock.advance(1000)
    await clock.advance(1000)
    expect(await waiting).toMatchObject({
      code: 'Network.GaveUp',
      message: 'The network was down for 1 s (the last failure: DownloadRecording: ENOTFOUND: getaddrinfo ENOTFOUND ccc.nowhere.invalid); the export stopped (resume continues it)',
    })
    expect(gate.lastFailure).toBeUndefined()
  })

  it('is opened by a server’s answer, not by a timeout or a local error', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 100 })
    const held = gate.afterError(new CccError({ code: 'Network', message: 'ECONNREFUSED' }), never)
    expect(gate.waitingSince).toBe(0)
    expect(await gate.afterError(new CccError({ code: 'Timeout', message: 'silent' }), never)).toBe(false)
    expect(await gate.afterError(new CccError({ code: 'DiskFull', message: 'full' }), never)).toBe(false)
    expect(gate.waitingSince).toBe(0)
    expect(await gate.afterError(new CccError({ code: 'NotExist.Record', message: 'no', status: 404 }), never)).toBe(false)
    expect(gate.waitingSince).toBeUndefined()
    expect(await held).toBe(true)
  })

  it('holds calls answered by a sign-in portal’s page, once CCC has answered in this run, as it holds a network that is down', async () => {
    const clock = new ManualClock()
    const gate = new NetworkGate(clock, { threshold: 1, baseMs: 100 })
    const page = () => new CccError({ code: 'Api.NotJson', message: 'HTTP 200: the reply was not JSON', status: 200 })
    // Before any answer: an endpoint that is not CCC's, more likely; the file fails its tries, and the page opens nothing.
    expect(await gate.afterError(page(), never)).toBe(false)
    expect(gate.waitingSince).toBeUndefined()
    gate.succeeded()
    const held = gate.afterError(page(), never)
    expect(gate.waitingSince).toBe(0)
    await clock.advance(100)
    expect(await held).toBe(true)
  })

  it('lets an abort through at once', async () => {
    const gate = new NetworkGate(new ManualClock(), { threshold: 1 })
    const controller = new AbortController()
    const waiting = rejectionOf<Error>(gate.failed(controller.signal))
    controller.abort(new DOMException('paused', 'AbortError'))
    expect((await waiting).name).toBe('AbortError')
    gate.close()
  })
})
