import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { CccError, MAX_MESSAGE_CHARS } from '../../../main/common/errors.ts'
import { readCappedText, ReplyTooLargeError } from '../../../main/engine/ccc/capped-reply.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { rejectionOf } from '../../rejection.ts'
import { simAndNodeFetch } from '../download/sim-downloads.ts'

const at = simAndNodeFetch()
const { nodeFetch } = at

const client = (fetchFn: typeof fetch) =>
  new CccClient({ endpoint: at.sim.endpoint, credentials: { accessKeyId: at.sim.accessKeyId, accessKeySecret: at.sim.accessKeySecret }, fetch: fetchFn })

describe.each([
  ['global fetch', globalThis.fetch],
  ['the CLI’s node fetch', nodeFetch.fetch],
])('an API reply larger than 1 MB, through %s', (_label, fetchFn) => {
  it('is read no further than the cap and fails with Api.ReplyTooLarge', async () => {
    const name = `huge-${_label}.wav`
    at.sim.fault(name, { kind: 'api-hostile', code: 'Evil', message: 'spam ', messageBytes: 200 * 1024 * 1024 })
    const ended = once(at.sim.events, 'hugeReply') as Promise<[number, boolean]>
    const e = await rejectionOf(client(fetchFn).downloadRecording(at.sim.instanceId, name), ReplyTooLargeError)
    expect(e.code).toBe('Api.ReplyTooLarge')
    expect(e.handling).toBe('retry')
    expect(e.message.length).toBeLessThan(200)
    const [sent, complete] = await ended
    expect(complete).toBe(false)
    // The cap, plus what the sockets' buffers took before the client let go.
    expect(sent).toBeLessThan(32 * 1024 * 1024)
    // The next call is answered as usual.
    expect((await client(fetchFn).downloadRecording(at.sim.instanceId, name)).fileName).toBe(name)
  })

  it('under the cap keeps its code, with its message cut to 2 KB', async () => {
    const name = `long-${_label}.wav`
    at.sim.fault(name, { kind: 'api-hostile', code: 'Evil.Code', message: 'blah ', messageBytes: 500_000 })
    const e = await rejectionOf(client(fetchFn).downloadRecording(at.sim.instanceId, name), CccError)
    expect(e.code).toBe('Evil.Code')
    expect(e.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 40)
    expect(e.message).toMatch(/^blah blah .*… \(\d+ more characters\)$/)
  })
})

describe('readCappedText', () => {
  const body = (bytes: number, headers: Record<string, string> = {}) =>
    new Response(
      new ReadableStream({
        pull(c) {
          c.enqueue(new Uint8Array(64 * 1024).fill(0x61))
          if ((bytes -= 64 * 1024) <= 0) c.close()
        },
      }),
      { headers },
    )

  it('refuses a declared Content-Length past the cap before reading', async () => {
    const e = await rejectionOf(readCappedText(body(128 * 1024, { 'content-length': String(2 * 1024 * 1024) }), 'Test', 1024 * 1024), ReplyTooLargeError)
    expect(e.message).toMatch(/^Test: the reply \(HTTP 200\) is larger than 1048576 bytes/)
  })

  it('reads a body up to the cap, and not one byte more', async () => {
    expect((await readCappedText(body(128 * 1024), 'Test', 128 * 1024)).length).toBe(128 * 1024)
    await rejectionOf(readCappedText(body(192 * 1024), 'Test', 128 * 1024), ReplyTooLargeError)
    expect(await readCappedText(new Response(null), 'Test')).toBe('')
    expect(await readCappedText(new Response('{"a":"通话"}'), 'Test')).toBe('{"a":"通话"}')
  })
})
