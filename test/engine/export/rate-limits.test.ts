import { afterEach, describe, expect, it } from 'vitest'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { simAndFolder, simClient } from './sim-folder.ts'

const at = simAndFolder('limits-')
afterEach(() => at.sim.setThrottleAll(null))

async function open(options: { concurrency: number; maxBytesPerSecond: number | null }, apiRate?: { initial: number }) {
  const client = simClient(at.sim)
  return ExportRunner.open(
    at.dir,
    { client, backoff: { baseMs: 20, capMs: 400 }, ...(apiRate ? { apiRate } : {}) },
    { instanceId: at.sim.instanceId, source: { kind: 'names' }, options: { layout: 'flat', ...options } },
  )
}

describe('under a throttling storm', () => {
  it('completes, and the second half sees fewer throttled calls than the first', async () => {
    // The service allows 15 calls a second; the export starts at 60 and must find that out.
    at.sim.setThrottleAll({ maxQps: 15 })
    const names = Array.from({ length: 100 }, (_, i) => `storm-${i}.wav`)
    for (const n of names) at.sim.setSize(n, 2048)
    const runner = await open({ concurrency: 8, maxBytesPerSecond: null }, { initial: 60 })
    runner.add(names)
    let firstHalf: number | undefined
    runner.onProgress((p) => {
      if (firstHalf === undefined && p.counts.done >= names.length / 2) firstHalf = at.sim.stats.throttled
    })
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: names.length, failed: 0 })
    const secondHalf = at.sim.stats.throttled - firstHalf!
    expect(firstHalf).toBeGreaterThan(0)
    expect(secondHalf).toBeLessThan(firstHalf!)
  })
})

describe('with a bandwidth limit', () => {
  // Only the ceiling is asserted: a loaded machine can slow a run below the limit, never above it.
  // How close to the limit a run comes is a figure for the bench, not a timed assertion here.
  it('never lets the measured rate over the export exceed the limit by 10%', async () => {
    const limit = 1024 * 1024
    const names = Array.from({ length: 24 }, (_, i) => `limited-${i}.wav`)
    for (const n of names) at.sim.setSize(n, 100 * 1024)
    const runner = await open({ concurrency: 6, maxBytesPerSecond: limit })
    runner.add(names)
    const started = performance.now()
    expect(await runner.run()).toBe('finished')
    const seconds = (performance.now() - started) / 1000
    await runner.close()
    const rate = runner.progress().bytes / seconds
    expect(rate / limit).toBeLessThan(1.1)
  })

  it('can be changed while the export runs', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `relimit-${i}.wav`)
    for (const n of names) at.sim.setSize(n, 64 * 1024)
    const runner = await open({ concurrency: 4, maxBytesPerSecond: 64 * 1024 })
    runner.add(names)
    let lifted = false
    runner.onProgress((p) => {
      if (!lifted && p.counts.done >= 1) {
        lifted = true
        runner.setLimits({ maxBytesPerSecond: null })
      }
    })
    expect(await runner.run()).toBe('finished')
    await runner.close()
    // At the first limit the whole export would take 12 s; lifted, it finishes in about one.
    expect(lifted).toBe(true)
    expect(runner.header.options.maxBytesPerSecond).toBeNull()
  })
})
