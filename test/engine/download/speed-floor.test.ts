import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { downloadObject } from '../../../main/engine/download/fetch-object.ts'
import { SpeedFloor } from '../../../main/engine/download/speed-floor.ts'
import { rejectionOf } from '../../rejection.ts'
import { startSim, type Sim } from '../../sim/index.ts'
import { signedUrlFor } from './sim-url.ts'

describe('SpeedFloor', () => {
  let now = 0
  const floor = () => new SpeedFloor({ minBytesPerSecond: 1000, windowMs: 3000 }, () => now)

  it('fires once the speed stayed under the floor for the whole window', () => {
    now = 0
    const f = floor()
    for (let t = 1; t <= 2; t++) {
      now = t * 1000
      f.received(100)
      expect(f.tooSlow()).toBe(false)
    }
    now = 3000
    f.received(100)
    expect(f.tooSlow()).toBe(true)
  })

  it('starts over when one sample is fast enough (a bursty server is not a slow one)', () => {
    now = 0
    const f = floor()
    now = 2000
    expect(f.tooSlow()).toBe(false)
    now = 3000
    f.received(5000)
    expect(f.tooSlow()).toBe(false)
    now = 5000
    expect(f.tooSlow()).toBe(false)
    now = 6000
    expect(f.tooSlow()).toBe(true)
  })

  it('does not count time spent in our own throttle', () => {
    now = 0
    const f = floor()
    f.received(1000)
    f.pause()
    now = 60_000
    expect(f.tooSlow()).toBe(false)
    f.resume()
    now = 61_000
    f.received(1000)
    expect(f.tooSlow()).toBe(false)
  })

  it('is off at 0', () => {
    expect(new SpeedFloor({ minBytesPerSecond: 0 }).enabled).toBe(false)
  })
})

describe('downloadObject and the minimum speed', () => {
  let sim: Sim
  let dir: string
  beforeAll(async () => {
    sim = await startSim()
  })
  afterAll(() => sim.close())
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ccc-speed-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('stops a drip under the floor as Transfer.TooSlow, keeps the .part, and a later call resumes it', async () => {
    const name = '1531284911434000803299a1.wav'
    // 8 s at the drip's pace: a floor that never fires fails on the fulfilled promise, not on the test's timeout.
    sim.setSize(name, 4_000)
    const dest = path.join(dir, name)
    const url = await signedUrlFor(sim, name)
    // 500 B/s arrives every 100 ms, well inside the idle timeout: only the speed floor can stop it.
    sim.fault(name, { kind: 'slow', bytesPerSecond: 500 })
    const e = await rejectionOf(downloadObject({ url, dest, minBytesPerSecond: 5_000, speedWindowMs: 400 }))
    expect(e).toBeInstanceOf(CccError)
    expect((e as CccError).code).toBe('Transfer.TooSlow')
    expect((e as CccError).handling).toBe('retry')
    const kept = (await stat(`${dest}.part`)).size
    expect(kept).toBeGreaterThan(0)
    const result = await downloadObject({ url, dest, minBytesPerSecond: 5_000, speedWindowMs: 400 })
    expect(result.resumedFrom).toBe(kept)
    expect((await readFile(dest)).equals(sim.content(name))).toBe(true)
  })

  it('does not count the bandwidth limit: a throttled download under the floor still finishes', async () => {
    const name = '1531284911434000803299a2.wav'
    sim.setSize(name, 600_000)
    const dest = path.join(dir, name)
    let waited = 0
    const speedWindowMs = 300
    const started = performance.now()
    const result = await downloadObject({
      url: await signedUrlFor(sim, name),
      dest,
      // More than the whole object per check (every 30 ms), so no check is ever fast enough: the
      // download finishes only because the throttle's waits (about 1 MB/s, 600 ms in all, twice
      // the window) are left out, and the body's own active time stays far under the window even
      // on a loaded machine. A floor that counted the waits fires within the first 300 ms of them.
      minBytesPerSecond: 100_000_000,
      speedWindowMs,
      throttle: async (bytes) => {
        waited += bytes
        await delay(Math.max(1, bytes / 1000))
      },
    })
    expect(waited).toBe(600_000)
    expect(performance.now() - started).toBeGreaterThan(speedWindowMs)
    expect(result.bytes).toBe(600_000)
  })
})
