import { createHash } from 'node:crypto'
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CccError, isAbortError } from '../../../main/common/errors.ts'
import { crc64 } from '../../../main/engine/download/crc64.ts'
import { downloadObject, type DownloadObjectOptions } from '../../../main/engine/download/fetch-object.ts'
import { rejectionOf } from '../../rejection.ts'
import { expectCode, simDownloads } from './sim-downloads.ts'
import { signedUrlFor } from './sim-url.ts'

const at = simDownloads({ folder: 'ccc-dl-', names: '15312849114340008032', size: 200_000 })
const { nodeFetch, newName } = at

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}

/** The final file is the object, and nothing else is left in the folder. */
async function expectDone(dest: string, name: string): Promise<void> {
  expect((await readFile(dest)).equals(at.sim.content(name))).toBe(true)
  expect(await readdir(path.dirname(dest))).toEqual([path.basename(dest)])
}

const get = (m: Map<string, number>, name: string) => m.get(name) ?? 0

// Every case through both fetch ports the engine is given: Node's fetch, and the CLI's http client.
describe.each([
  ['Node fetch', globalThis.fetch],
  ['the http client', nodeFetch.fetch],
] as const)('downloadObject against the simulator through %s', (_port, fetchFn) => {
  const download = (o: DownloadObjectOptions): ReturnType<typeof downloadObject> => downloadObject({ fetch: fetchFn, ...o })

  /**
   * Leaves exactly `afterBytes` in the `.part`: a clean truncation, caught by the checksums, is
   * deterministic where a reset is not (an RST may discard bytes the client had not read yet).
   */
  async function cutAt(name: string, url: string, dest: string, afterBytes: number): Promise<void> {
    at.sim.fault(name, { kind: 'truncate', afterBytes })
    await expectCode(download({ url, dest }), 'BodyTruncated')
    expect((await stat(`${dest}.part`)).size).toBe(afterBytes)
  }

  it('downloads an object whole, verified, with nothing left over', async () => {
    const name = newName()
    const dest = path.join(at.dir, 'sub', 'folder', name)
    let progress = 0
    const result = await download({ url: await signedUrlFor(at.sim, name), dest, onProgress: (b) => (progress += b) })
    await expectDone(dest, name)
    const content = at.sim.content(name)
    expect(result).toEqual({
      bytes: content.length,
      crc64: crc64(content),
      sha256: createHash('sha256').update(content).digest('hex'),
      etag: at.sim.etag(name),
      resumedFrom: 0,
      restarted: false,
      verifiedBy: 'crc64',
    })
    expect(progress).toBe(content.length)
    expect(get(at.sim.stats.rangeGets, name)).toBe(0)
  })

  it('resumes with Range after a connection reset mid-body', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    // An RST can discard what the client had not read yet; cut again until some bytes stay.
    let kept = 0
    for (let tries = 0; kept === 0 && tries < 10; tries++) {
      at.sim.fault(name, { kind: 'reset', afterBytes: 70_000 })
      const e = await expectCode(download({ url, dest }), 'BodyTruncated')
      expect(e.retryable).toBe(true)
      kept = await stat(`${dest}.part`).then((s) => s.size, () => 0)
    }
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThanOrEqual(70_000)

    const inPart: number[] = []
    let fresh = 0
    const result = await download({
      url,
      dest,
      onProgress: (chunk, total) => {
        fresh += chunk
        inPart.push(total)
      },
    })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(kept)
    expect(result.restarted).toBe(false)
    // Only the missing bytes crossed the network; the running total counts the kept prefix too.
    expect(fresh).toBe(at.sim.content(name).length - kept)
    expect(inPart.at(-1)).toBe(at.sim.content(name).length)
    expect(inPart[0]).toBeGreaterThan(kept)
    expect(get(at.sim.stats.rangeGets, name)).toBeGreaterThan(0)
    expect(get(at.sim.stats.partialReplies, name)).toBeGreaterThan(0)
  })

  for (const [what, change] of [
    ['removed', (part: string) => rm(part)],
    ['cut shorter', (part: string) => writeFile(part, 'abc')],
  ] as const) {
    it(`starts over when the .part is ${what} while the Range request is out`, async () => {
      const name = newName()
      const dest = path.join(at.dir, name)
      const url = await signedUrlFor(at.sim, name)
      await cutAt(name, url, dest, 60_000)
      // Someone else (an antivirus, a sync client) takes the .part once it has been looked at.
      const meddling: typeof fetch = async (input, init) => {
        if (new Headers(init?.headers).has('range')) await change(`${dest}.part`)
        return fetchFn(input, init)
      }
      const result = await downloadObject({ fetch: meddling, url, dest })
      await expectDone(dest, name)
      expect(result).toMatchObject({ resumedFrom: 0, restarted: true })
    })
  }

  it('catches a clean truncation (no length; CRC-64 and MD5 differ), then resumes it', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    at.sim.fault(name, { kind: 'truncate', afterBytes: 50_000 })
    await expectCode(download({ url, dest }), 'BodyTruncated')
    expect((await stat(`${dest}.part`)).size).toBe(50_000)
    expect(await exists(dest)).toBe(false)

    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(50_000)
    expect(get(at.sim.stats.partialReplies, name)).toBe(1)
  })

  it('catches a clean truncation by Content-MD5 alone when no CRC-64 is sent', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    // A proxy that drops the OSS header: a real fetch, one header fewer.
    const noCrc: typeof fetch = async (input, init) => {
      const res = await fetchFn(input, init)
      const headers = new Headers(res.headers)
      headers.delete('x-oss-hash-crc64ecma')
      return new Response(res.body, { status: res.status, headers })
    }
    at.sim.fault(name, { kind: 'truncate', afterBytes: 50_000 })
    await expectCode(download({ url, dest, fetch: noCrc }), 'BodyTruncated')
    const result = await download({ url, dest, fetch: noCrc })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(50_000)
  })

  it('starts over, not at the end, when a complete .part was never renamed (crash before rename)', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await writeFile(`${dest}.part`, at.sim.content(name))
    await writeFile(`${dest}.part.etag`, at.sim.etag(name))
    const result = await download({ url, dest })
    await expectDone(dest, name)
    // OSS answers a range past the end with 200 and the whole object (ccc-api.md §5).
    expect(result.restarted).toBe(true)
    expect(get(at.sim.stats.rangeGets, name)).toBe(1)
    expect(get(at.sim.stats.partialReplies, name)).toBe(0)
  })

  it('keeps a complete .part whose sidecar names its size and CRC-64, without asking OSS again', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    const content = at.sim.content(name)
    await writeFile(`${dest}.part`, content)
    await writeFile(`${dest}.part.etag`, `${at.sim.etag(name)}\n${content.length}\n${crc64(content)}`)
    const before = get(at.sim.stats.ossGets, name)
    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result).toMatchObject({ bytes: content.length, resumedFrom: content.length, restarted: false })
    expect(get(at.sim.stats.ossGets, name)).toBe(before)
  })

  it('does not keep a complete-looking .part whose bytes fail the recorded CRC-64', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    const content = Buffer.from(at.sim.content(name))
    content[100] = content[100]! ^ 0xff
    await writeFile(`${dest}.part`, content)
    await writeFile(`${dest}.part.etag`, `${at.sim.etag(name)}\n${content.length}\n${crc64(at.sim.content(name))}`)
    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.restarted).toBe(true)
  })

  it('catches a clean truncation of a resumed (206) body by its Content-Range total', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 40_000)
    at.sim.fault(name, { kind: 'truncate', afterBytes: 30_000 })
    await expectCode(download({ url, dest }), 'BodyTruncated')
    expect((await stat(`${dest}.part`)).size).toBe(70_000)
    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(70_000)
    expect(get(at.sim.stats.partialReplies, name)).toBe(2)
  })

  it('reports OSS 503 as retryable ServiceUnavailable; the next call succeeds, resuming', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 60_000)
    at.sim.fault(name, { kind: 'oss-unavailable' })
    const e = await expectCode(download({ url, dest }), 'ServiceUnavailable')
    expect(e.status).toBe(503)
    expect(e.retryable).toBe(true)
    expect(e.requestId).toMatch(/^[0-9A-F]+$/)
    expect(await exists(`${dest}.part`)).toBe(true)

    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(60_000)
  })

  it('renews an expired URL through renewUrl and continues with Range', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 80_000)

    at.sim.fault(name, { kind: 'expire-url' })
    const expired = await signedUrlFor(at.sim, name)
    let renewals = 0
    const result = await download({
      url: expired,
      dest,
      renewUrl: async () => {
        renewals++
        return signedUrlFor(at.sim, name)
      },
    })
    await expectDone(dest, name)
    expect(renewals).toBe(1)
    expect(result.resumedFrom).toBe(80_000)
    expect(get(at.sim.stats.partialReplies, name)).toBe(1)
  })

  it('without renewUrl, an expired URL is Oss.UrlExpired (renew-url), and never names the URL', async () => {
    const name = newName()
    at.sim.fault(name, { kind: 'expire-url' })
    const url = await signedUrlFor(at.sim, name)
    const e = await expectCode(download({ url, dest: path.join(at.dir, name) }), 'Oss.UrlExpired')
    expect(e.handling).toBe('renew-url')
    expect(e.status).toBe(403)
    const signature = new URL(url).searchParams.get('Signature')!
    for (const text of [e.message, String(e.stack), JSON.stringify(e.toData())]) {
      expect(text).not.toContain(signature)
      expect(text).not.toContain('OSSAccessKeyId')
      expect(text).not.toContain(at.sim.endpoint)
    }
  })

  it('gives up after maxRenewals when every fresh URL is expired too', async () => {
    const name = newName()
    at.sim.fault(name, { kind: 'expire-url', times: 4 })
    const url = await signedUrlFor(at.sim, name)
    let renewals = 0
    await expectCode(
      download({
        url,
        dest: path.join(at.dir, name),
        maxRenewals: 2,
        renewUrl: async () => {
          renewals++
          return signedUrlFor(at.sim, name)
        },
      }),
      'Oss.UrlExpired',
    )
    expect(renewals).toBe(2)
  })

  it('starts over when the object changed between attempts (stale If-Range gets 200)', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    const before = at.sim.content(name)
    await cutAt(name, url, dest, 90_000)

    at.sim.replace(name)
    expect(at.sim.content(name).equals(before)).toBe(false)
    const seen: [number, number][] = []
    const result = await download({ url, dest, onProgress: (chunk, total) => seen.push([chunk, total]) })
    await expectDone(dest, name)
    expect(result.restarted).toBe(true)
    expect(result.resumedFrom).toBe(0)
    // The 90,000 bytes kept are gone at once, before the first chunk of the new body…
    expect(seen[0]).toEqual([0, 0])
    // …whose running total starts again from zero.
    expect(seen[1]![1]).toBe(seen[1]![0])
    expect(result.etag).toBe(at.sim.etag(name))
    expect(get(at.sim.stats.rangeGets, name)).toBe(1) // asked for the rest…
    expect(get(at.sim.stats.partialReplies, name)).toBe(0) // …and got the whole new object
  })

  it('does not resume a .part whose version it cannot name: it starts over', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await writeFile(`${dest}.part`, Buffer.alloc(1000, 7)) // from who knows where
    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.restarted).toBe(true)
    expect(get(at.sim.stats.rangeGets, name)).toBe(0)
  })

  it('drops a .part the reply cannot continue (416), and fetches the whole object once more', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 40_000)
    let refused = 0
    const refusesRanges: typeof fetch = async (input, init) => {
      const res = await fetchFn(input, init)
      if (!new Headers(init?.headers).has('range')) return res
      refused++
      await res.body?.cancel()
      return new Response(null, { status: 416, headers: { 'content-range': 'bytes */1' } })
    }
    const result = await download({ url, dest, fetch: refusesRanges })
    await expectDone(dest, name)
    expect(refused).toBe(1)
    expect(result).toMatchObject({ resumedFrom: 0, restarted: true })
  })

  it('gives up as Http.Unexpected when even the whole object cannot be had, leaving nothing behind', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 40_000)
    let asked = 0
    const refusesAll: typeof fetch = async () => {
      asked++
      return new Response(null, { status: 416 })
    }
    await expectCode(download({ url, dest, fetch: refusesAll }), 'Http.Unexpected')
    expect(asked).toBe(2)
    expect(await readdir(at.dir)).toEqual([])
  })

  it('uses a caller-known ETag for If-Range when the sidecar is gone', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 30_000)
    await rm(`${dest}.part.etag`)
    const result = await download({ url, dest, etag: at.sim.etag(name) })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(30_000)
    expect(get(at.sim.stats.partialReplies, name)).toBe(1)
  })

  it('throws away a complete but corrupt file (ChecksumMismatch) instead of resuming it', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    await cutAt(name, url, dest, 100_000)
    // Flip a byte of the kept prefix: the resumed whole no longer matches x-oss-hash-crc64ecma.
    const part = await readFile(`${dest}.part`)
    part[10] = part[10]! ^ 0xff
    await writeFile(`${dest}.part`, part)
    const e = await expectCode(download({ url, dest }), 'ChecksumMismatch')
    expect(e.retryable).toBe(true)
    expect(await readdir(at.dir)).toEqual([])

    await download({ url, dest })
    await expectDone(dest, name)
  })

  it('aborts mid-body at once, keeps the .part, and a later call continues with Range', async () => {
    const name = newName(100_000)
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    at.sim.fault(name, { kind: 'slow', bytesPerSecond: 50_000 })
    const controller = new AbortController()
    let seen = 0
    const e = await rejectionOf(
      download({
        url,
        dest,
        signal: controller.signal,
        onProgress: (b) => {
          seen += b
          controller.abort()
        },
      }),
    )
    expect(isAbortError(e)).toBe(true)
    expect(e).not.toBeInstanceOf(CccError)
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(100_000)
    expect((await stat(`${dest}.part`)).size).toBe(seen)
    expect(await exists(dest)).toBe(false)

    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.resumedFrom).toBe(seen)
    expect(get(at.sim.stats.partialReplies, name)).toBe(1)
  })

  it('rejects at once with the AbortError when the signal has already fired', async () => {
    const name = newName()
    const controller = new AbortController()
    controller.abort()
    const e = await rejectionOf(download({ url: await signedUrlFor(at.sim, name), dest: path.join(at.dir, name), signal: controller.signal }))
    expect(isAbortError(e)).toBe(true)
    expect(get(at.sim.stats.ossGets, name)).toBe(0)
  })

  it('times out a server that goes silent, keeping the .part', async () => {
    const name = newName(100_000)
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    // One byte a second arrives as one byte every second: far slower than the 100 ms allowed.
    at.sim.fault(name, { kind: 'slow', bytesPerSecond: 1 })
    const e = await expectCode(download({ url, dest, timeoutMs: 100 }), 'Timeout')
    expect(e.retryable).toBe(true)
    const result = await download({ url, dest })
    await expectDone(dest, name)
    expect(result.bytes).toBe(100_000)
  })

  it('lets a throttle hook pace the body', async () => {
    const name = newName(100_000)
    const dest = path.join(at.dir, name)
    let asked = 0
    await download({
      url: await signedUrlFor(at.sim, name),
      dest,
      throttle: async (b) => {
        asked += b
      },
    })
    await expectDone(dest, name)
    expect(asked).toBe(100_000)
  })

  it('maps 404 to Oss.NoSuchKey and a bad signature to Oss.AccessDenied (skip, not fatal)', async () => {
    const name = newName()
    const url = await signedUrlFor(at.sim, name)
    at.sim.remove(name)
    const e404 = await expectCode(download({ url, dest: path.join(at.dir, name) }), 'Oss.NoSuchKey')
    expect(e404.handling).toBe('skip')

    const other = newName()
    const good = new URL(await signedUrlFor(at.sim, other))
    good.searchParams.set('Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    const e403 = await expectCode(download({ url: good.toString(), dest: path.join(at.dir, other) }), 'Oss.AccessDenied')
    expect(e403.handling).toBe('skip')
    expect(e403.message).toContain('SignatureDoesNotMatch')
    expect(await readdir(at.dir)).toEqual([])
  })

  it('reports an unreachable server as retryable Network, without the URL', async () => {
    const name = newName()
    const url = (await signedUrlFor(at.sim, name)).replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1')
    const e = await expectCode(download({ url, dest: path.join(at.dir, name) }), 'Network')
    expect(e.retryable).toBe(true)
    expect(e.message).not.toContain('Signature=')
  })

  it('reports a file where its folder goes as Local.FileInTheWay', async () => {
    const name = newName()
    const blocker = path.join(at.dir, 'not-a-folder')
    await writeFile(blocker, 'x')
    await expectCode(download({ url: await signedUrlFor(at.sim, name), dest: path.join(blocker, name) }), 'Local.FileInTheWay')
  })
})
