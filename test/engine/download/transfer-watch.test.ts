import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { downloadObject } from '../../../main/engine/download/fetch-object.ts'
import { TransferWatch } from '../../../main/engine/download/transfer-watch.ts'
import { expectCode, simDownloads } from './sim-downloads.ts'
import { signedUrlFor } from './sim-url.ts'

describe('TransferWatch and the minimum speed', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('judges the body from its first byte: a slow reply before it (or reading back a resumed .part) is not a slow body', () => {
    const watch = new TransferWatch(undefined, 60_000, { minBytesPerSecond: 1000, windowMs: 3000 })
    // Well inside the idle timeout, and no body yet: nothing to measure a speed of.
    vi.advanceTimersByTime(10_000)
    watch.bodyStarted()
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(100)
      watch.received(200) // 2000 B/s, twice the floor
    }
    expect(watch.signal.aborted).toBe(false)
    expect(watch.stopped()).toBeUndefined()
    watch.dispose()
  })

  it('still stops a body that is slow from its first byte', () => {
    const watch = new TransferWatch(undefined, 60_000, { minBytesPerSecond: 1000, windowMs: 3000 })
    vi.advanceTimersByTime(10_000)
    watch.bodyStarted()
    for (let i = 0; i < 29; i++) {
      vi.advanceTimersByTime(100)
      watch.received(50) // 500 B/s
    }
    expect(watch.signal.aborted).toBe(false)
    vi.advanceTimersByTime(400)
    expect(watch.signal.aborted).toBe(true)
    expect(watch.stopped()).toMatchObject({ code: 'Transfer.TooSlow' })
    watch.dispose()
  })
})

describe('downloadObject and a body that ignores the stop', () => {
  const at = simDownloads({ folder: 'ccc-stuck-', names: '15312849114340008033', size: 50_000 })

  /**
   * Every byte, then neither an end nor an error, whatever the request's signal does: what Node 20's
   * fetch (undici 6) does when the abort comes after the last byte arrived and before the end was
   * read, where a pending read() never settles.
   */
  const stuckAfterLastByte: typeof fetch = async (input, init) => {
    const real = await fetch(input, init)
    const bytes = new Uint8Array(await real.arrayBuffer())
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return new Promise<void>(() => {})
        sent = true
        controller.enqueue(bytes)
      },
    })
    return new Response(body, { status: real.status, headers: real.headers })
  }

  it('ends at the idle timeout all the same, keeping the .part for the next call', async () => {
    const name = at.newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await expectCode(downloadObject({ url, dest, fetch: stuckAfterLastByte, timeoutMs: 200 }), 'Timeout')
    const result = await downloadObject({ url, dest })
    expect(result.resumedFrom).toBe(50_000)
    expect(result.bytes).toBe(50_000)
  }, 10_000)

  it('ends at the idle timeout while an error body stalls the same way', async () => {
    const name = at.newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    // OSS's refusal, its XML sent whole, then the body neither ends nor fails.
    const stuckRefusal: typeof fetch = async () => {
      const xml = new TextEncoder().encode('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')
      let sent = false
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return new Promise<void>(() => {})
          sent = true
          controller.enqueue(xml)
        },
      })
      return new Response(body, { status: 403, headers: { 'content-type': 'application/xml' } })
    }
    await expectCode(downloadObject({ url, dest, fetch: stuckRefusal, timeoutMs: 200 }), 'Timeout')
  }, 10_000)
})
