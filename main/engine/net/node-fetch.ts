import http from 'node:http'
import https from 'node:https'

/**
 * The engine's `fetch` port, filled with Node's own http/https clients for the CLI.
 *
 * Node's global fetch (undici) spends about 0.3 ms of CPU on every request and more on every
 * chunk of a body, before a byte is written: in a 2,000-file export (2,000 API calls and 2,000
 * transfers) that was a second and a half of CPU, the largest cost the CLI could do without
 * (docs/performance.md). Here a request is a plain `http.request` on a keep-alive agent, and the
 * reply a real `Response` whose body is a plain ReadableStream fed by the socket.
 *
 * It does what the engine asks of fetch, with fetch's outcomes (test/engine/net checks each
 * against the global fetch): a failure before the reply rejects with `TypeError('fetch failed')`
 * carrying the Node error as `cause`; one during the body errors the stream with
 * `TypeError('terminated')`; an abort rejects, or errors the body, with the signal's reason.
 * Deliberately not a whole fetch: redirects are handed back as they are (a presigned URL and the
 * CCC endpoint never redirect, and the engine reads a 3xx as an error), bodies are not
 * decompressed (no Accept-Encoding is sent unless the caller sends one), and input is a URL,
 * not a Request.
 */
export interface NodeFetch {
  readonly fetch: typeof fetch
  /** Closes the kept-alive connections. */
  close(): void
}

// With a stream's default queue of one chunk the socket would pause after every read; a few
// chunks of slack keep it streaming while the reader writes the last one to disk.
const BODY_HIGH_WATER = 256 * 1024

// Statuses whose Response must have a null body (the constructor throws otherwise).
const NULL_BODY = new Set([101, 103, 204, 205, 304])

export function createNodeFetch(): NodeFetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  }
  const nodeFetch = (input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> => {
    let url: URL
    try {
      url = requestUrl(input)
    } catch (e) {
      return Promise.reject(new TypeError('fetch failed', { cause: e }))
    }
    const signal = init.signal ?? undefined
    if (signal?.aborted) return Promise.reject(signal.reason)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    let body: string | Uint8Array | undefined
    try {
      body = requestBody(init.body, headers)
    } catch (e) {
      return Promise.reject(e)
    }
    if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)))
    const flat: Record<string, string> = {}
    for (const [name, value] of headers) flat[name] = value
    return send(url, { method, headers: flat, agent: agents[url.protocol as 'http:' | 'https:'] }, body, signal)
  }
  return {
    fetch: nodeFetch as typeof fetch,
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}

/** Only an http or https URL: the engine never passes a Request, and other schemes are not ours to fetch. */
function requestUrl(input: Parameters<typeof fetch>[0]): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) throw new Error('this fetch takes a URL, not a Request')
  const url = new URL(input)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`)
  return url
}

/**
 * One request's state, shared by its abort listener, the request and the reply body. One object
 * per request, none per chunk: the hot path is the body's 'data' listener.
 */
interface Exchange {
  /** The promise is resolved or rejected: later failures belong to the body, if any. */
  settled: boolean
  /** Errors the body stream, once there is one; an abort after the head goes here. */
  failBody: ((reason: unknown) => void) | undefined
  /** Stops listening to the signal, once nothing is left for an abort to stop. */
  release: () => void
}

/** Settles with the reply's head (the body streams on), or with the first failure or abort before it. */
function send(url: URL, options: http.RequestOptions, body: string | Uint8Array | undefined, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const req = client.request(url, options)
    const exchange: Exchange = { settled: false, failBody: undefined, release: () => signal?.removeEventListener('abort', onAbort) }
    // Fires once per request; whichever part is still open (the promise or the body) gets the reason.
    function onAbort(): void {
      const reason: unknown = signal?.reason
      if (!exchange.settled) {
        exchange.settled = true
        reject(reason)
      } else exchange.failBody?.(reason)
      req.destroy()
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    req.on('error', (e) => {
      if (exchange.settled) return
      exchange.settled = true
      exchange.release()
      reject(new TypeError('fetch failed', { cause: e }))
    })
    req.on('response', (res) => {
      if (exchange.settled) {
        res.destroy()
        return
      }
      exchange.settled = true
      resolve(reply(res, options.method === 'HEAD', exchange))
    })
    req.end(body)
  })
}

/** The Response for a reply's head, with a body streamed from the socket where the status allows one. */
function reply(res: http.IncomingMessage, head: boolean, exchange: Exchange): Response {
  const status = res.statusCode ?? 0
  const headers = replyHeaders(res.rawHeaders)
  if (NULL_BODY.has(status) || head) {
    res.resume()
    res.once('end', exchange.release)
    return new Response(null, { status, statusText: res.statusMessage ?? '', headers })
  }
  const stream = bodyStream(res, exchange)
  return new Response(stream, { status, statusText: res.statusMessage ?? '', headers })
}

function replyHeaders(raw: string[]): Headers {
  const headers = new Headers()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!)
    } catch {
      // A header fetch would also refuse; the rest of the reply is still good.
    }
  }
  return headers
}

/** The reply's bytes as fetch's body stream: paused while the reader is behind, errored as fetch errors it. */
function bodyStream(res: http.IncomingMessage, exchange: Exchange): ReadableStream<Uint8Array> {
  let finished = false
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (reason: unknown): void => {
          if (finished) return
          finished = true
          exchange.release()
          controller.error(reason)
        }
        exchange.failBody = fail
        res.on('data', (chunk: Buffer) => {
          controller.enqueue(chunk)
          if ((controller.desiredSize ?? 0) <= 0) res.pause()
        })
        res.once('end', () => {
          if (finished) return
          finished = true
          exchange.release()
          controller.close()
        })
        // A connection that ends before the promised length is an 'aborted' error on the
        // reply; with fetch the body stream errors with TypeError('terminated').
        res.once('error', (e) => fail(new TypeError('terminated', { cause: e })))
        res.once('close', () => {
          if (!res.complete) fail(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))
        })
      },
      pull() {
        res.resume()
      },
      cancel() {
        finished = true
        exchange.release()
        res.destroy()
      },
    },
    { highWaterMark: BODY_HIGH_WATER, size: (chunk) => chunk.byteLength },
  )
}

/** What the engine sends: nothing, text, form parameters or bytes; fetch's default content types. */
function requestBody(body: RequestInit['body'], headers: Headers): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8')
    return body
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
    return body.toString()
  }
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  throw new TypeError('this fetch sends text, form parameters or bytes, not streams, blobs or form data')
}
