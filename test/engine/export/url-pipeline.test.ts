import { describe, expect, it } from 'vitest'
import type { FileEntry } from '../../../main/engine/export/export-table.ts'
import { UrlPipeline, type UrlPipelineOptions, type UrlSource } from '../../../main/engine/export/url-pipeline.ts'
import { ManualClock } from './manual-clock.ts'

const entry = (): FileEntry => ({ index: 0, state: 'queued', bytes: 0, attempts: 0 })
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

/** A DownloadRecording stand-in whose calls the test answers one by one. */
function gateway() {
  const calls: { name: string; answer: (url: string) => void; fail: (e: Error) => void }[] = []
  const source = (name: string) => new Promise<string>((answer, fail) => calls.push({ name, answer, fail }))
  return { calls, source }
}

/** Answers six calls, each after `ms`, one after the other: slow start allows 64 after them, so only the target holds calls back. */
async function pastSlowStart(pipeline: UrlPipeline, calls: ReturnType<typeof gateway>['calls'], clock?: ManualClock, ms = 0): Promise<void> {
  const signal = new AbortController().signal
  for (let i = 0; i < 6; i++) {
    const url = pipeline.resolve(`warm${i}`, entry(), signal, () => false)
    if (clock) await clock.advance(ms)
    calls.at(-1)!.answer(`u${i}`)
    await url
  }
}

/** Two slots past slow start, each call answered 100 ms after it went: only the transfers' pace is left to learn. */
async function farGateway(options: UrlPipelineOptions = {}): Promise<{ pipeline: UrlPipeline; clock: ManualClock }> {
  const { calls, source } = gateway()
  const clock = new ManualClock()
  const pipeline = new UrlPipeline(source, () => 2, clock, options)
  await pastSlowStart(pipeline, calls, clock, 100)
  return { pipeline, clock }
}

/** A slot finds no URL ready: how much the calls allowed in flight grew. */
function slotWaits(pipeline: UrlPipeline): number {
  const before = pipeline.depth
  pipeline.take(pipeline.enqueue('t', entry()))
  return pipeline.depth - before
}

describe('URL pipeline', () => {
  it('starts with one call, and sends none ahead after a failure (an export-fatal reply stops the export after a handful)', async () => {
    const { calls, source } = gateway()
    const pipeline = new UrlPipeline(source, () => 8, new ManualClock())
    const signal = new AbortController().signal
    for (let i = 0; i < 20; i++) pipeline.enqueue(`f${i}`, entry())
    pipeline.ahead(signal, () => false)
    expect(calls.map((c) => c.name)).toEqual(['f0'])
    calls[0]!.fail(new Error('NotExist.Instance'))
    await flush()
    pipeline.ahead(signal, () => true)
    expect(calls).toHaveLength(1)
  })

  it('doubles the calls in flight with each success (slow start) up to its target', async () => {
    const { calls, source } = gateway()
    const pipeline = new UrlPipeline(source, () => 4, new ManualClock())
    const signal = new AbortController().signal
    for (let i = 0; i < 40; i++) pipeline.enqueue(`f${i}`, entry())
    pipeline.ahead(signal, () => false)
    calls[0]!.answer('u0')
    await flush()
    expect(calls).toHaveLength(3)
    calls[1]!.answer('u1')
    calls[2]!.answer('u2')
    await flush()
    // Target is the concurrency (4) until a transfer slot is seen waiting.
    expect(calls.length - 3).toBe(4)
  })

  it('does not grow while slow start still holds the calls back: a slot waiting then says nothing of the need', () => {
    const { calls, source } = gateway()
    const pipeline = new UrlPipeline(source, () => 2, new ManualClock())
    const before = pipeline.depth
    const starved = [pipeline.enqueue('a', entry()), pipeline.enqueue('b', entry()), pipeline.enqueue('c', entry())]
    for (const w of starved) expect(pipeline.take(w)).toBeUndefined()
    expect(pipeline.depth).toBe(before)
    expect(calls).toHaveLength(0)
  })

  it('past slow start, allows one more call in flight each time a transfer slot finds no URL ready', async () => {
    const { calls, source } = gateway()
    const pipeline = new UrlPipeline(source, () => 2, new ManualClock())
    await pastSlowStart(pipeline, calls)
    const before = pipeline.depth
    const starved = [pipeline.enqueue('a', entry()), pipeline.enqueue('b', entry()), pipeline.enqueue('c', entry())]
    for (const w of starved) expect(pipeline.take(w)).toBeUndefined()
    expect(pipeline.depth).toBe(before + 3)
  })

  // Calls of 100 ms, two slots serving a file in 10 ms each: a transfer every 5 ms, so 20 in
  // flight keep pace, 25 with the spare.
  it.each([
    { cap: undefined, grown: 25, what: "grows at once to the transfers' pace times a call's round trip, a quarter to spare, when the API is far" },
    { cap: 10, grown: 10, what: 'never allows more calls in flight than its cap, whatever the estimate' },
  ])('$what', async ({ cap, grown }) => {
    const { pipeline } = await farGateway(cap === undefined ? {} : { maxInFlight: cap })
    pipeline.served(10)
    expect(slotWaits(pipeline)).toBe(grown - 2)
  })

  it("takes the transfers' pace from how long a slot serves a file, not from how often slots start while they starve", async () => {
    const { pipeline, clock } = await farGateway()
    const start = pipeline.depth
    // Slots starting 50 ms apart, each waiting out a call: what they show is the API's pace.
    for (let i = 0; i < 3; i++) {
      pipeline.take(pipeline.enqueue(`starved${i}`, entry()))
      await clock.advance(50)
    }
    pipeline.served(10)
    // Still a transfer every 5 ms once fed: 25 in flight, where the gaps between starts said 3.
    pipeline.take(pipeline.enqueue('t', entry()))
    expect(pipeline.depth - start).toBe(25 - 2)
  })

  it('reads files served within the clock’s millisecond as the fastest pace there is, not as no pace', async () => {
    const { pipeline } = await farGateway()
    pipeline.served(0)
    // 2 slots × 100 ms ÷ at least 1 ms, a quarter to spare: far past the cap of 128.
    expect(slotWaits(pipeline)).toBe(128 - 2)
  })

  it('reads its first service times as their plain mean: the first file, over a new connection, does not hold the pace down', async () => {
    const { pipeline } = await farGateway()
    pipeline.served(40)
    for (let i = 0; i < 3; i++) pipeline.served(0)
    // A mean of 10 ms: 25 in flight, where a mean that followed slowly would have said about 7.
    expect(slotWaits(pipeline)).toBe(25 - 2)
  })

  it('knows no pace before a slot served a file: one more call at a time', async () => {
    const { pipeline } = await farGateway()
    expect(slotWaits(pipeline)).toBe(1)
  })

  it("leaves a retried call out of the round trip: its backoff says nothing of the gateway's distance", async () => {
    const { calls, source } = gateway()
    const clock = new ManualClock()
    let retries = 0
    const retrying: UrlSource = (name, _signal, tries) => {
      if (name === 'retried') tries.onRetry()
      return source(name)
    }
    const pipeline = new UrlPipeline(retrying, () => 2, clock)
    await pastSlowStart(pipeline, calls, clock, 100)
    const url = pipeline.resolve('retried', { ...entry(), attempts: 0 }, new AbortController().signal, () => false, { onRetry: () => void retries++ })
    await clock.advance(5000)
    calls.at(-1)!.answer('u')
    await url
    expect(retries).toBe(1)
    pipeline.served(10)
    // Still 100 ms calls and a transfer every 5 ms: 25, not the cap that 5 s would have given.
    expect(slotWaits(pipeline)).toBe(25 - 2)
  })

  it('drops a URL fetched so long ago it could expire before its transfer', async () => {
    const { calls, source } = gateway()
    const clock = new ManualClock()
    const pipeline = new UrlPipeline(source, () => 2, clock, { maxUrlAgeMs: 1000 })
    const signal = new AbortController().signal
    const fresh = pipeline.enqueue('fresh', entry())
    const stale = pipeline.enqueue('stale', entry())
    pipeline.ahead(signal, () => false)
    calls[0]!.answer('u-fresh')
    await flush()
    calls[1]!.answer('u-stale')
    await flush()
    expect(await pipeline.take(fresh)).toBe('u-fresh')
    await clock.advance(1001)
    expect(pipeline.take(stale)).toBeUndefined()
  })
})
