/**
 * Opens the built renderer in real Chromium, served over http://127.0.0.1 (so the CSP's 'self'
 * means what it does in the app), with `window.ccc` answered in this process by `handlers`.
 * The page gets the same build-api.ts as the preload; only ipcRenderer is replaced by a binding.
 */
import { build as esbuild } from 'esbuild'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build as viteBuild } from 'vite'
import type { ApiEvents, Envelope, EventName, Method } from '../../main/common/api.ts'
import type { Locale } from '../../main/common/error-catalog.ts'
import { isTrustedSender } from '../../main/electron/sender-check.ts'
import { findBrowser, NO_BROWSER } from './browser.ts'

const repo = fileURLToPath(new URL('../../', import.meta.url))

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]

export type Handlers = (method: Method, request: unknown) => Promise<unknown>
/** The main side as the Electron binding runs it: validate, call, answer with an envelope. */
export type Dispatch = (method: unknown, request: unknown) => Promise<Envelope<unknown>>

export interface OpenOptions {
  /** An in-memory twin of the API (throws {code, message} to fail)… */
  readonly handlers?: Handlers
  /** …or the real handler map behind `dispatch` (main/electron/dispatch.ts). */
  readonly dispatch?: Dispatch
  readonly locale: Locale
  readonly viewport?: { readonly width: number; readonly height: number }
}

export interface OpenApp {
  readonly page: Page
  /** Where the app is served: the only origin the binding answers. */
  readonly url: string
  /** Every reply and event that reached the page, as sent: what a test scans for secrets. */
  traffic(): readonly unknown[]
  /** Calls the binding turned away (another frame or origin). */
  refused(): readonly string[]
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): Promise<void>
  /** CSP refusals, page errors and console errors seen so far: a healthy run has none. */
  problems(): Promise<string[]>
  close(): Promise<void>
}

let built: Promise<string> | undefined
let bridge: Promise<string> | undefined

/** Builds the renderer once per test process, into a temp folder (dist/ is left alone). */
export function buildRenderer(): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ccc-e2e-renderer-'))
    await viteBuild({
      configFile: join(repo, 'renderer/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    })
    return outDir
  })()
  return built
}

function bridgeScript(): Promise<string> {
  bridge ??= esbuild({
    entryPoints: [join(repo, 'test/e2e/page-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  }).then((r) => r.outputFiles[0]?.text ?? '')
  return bridge
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
}

async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    if (req.method !== 'GET' || !file.startsWith(root + sep)) {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}/` }
}

function envelopeOf(e: unknown): Envelope<never> {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
  return { ok: false, error: { code: typeof code === 'string' ? code : 'Unknown', message: typeof message === 'string' ? message : String(e) } }
}

export async function openApp(options: OpenOptions): Promise<OpenApp> {
  const [root, script] = await Promise.all([buildRenderer(), bridgeScript()])
  const { server, url } = await serve(root)
  let browser: Browser | undefined
  try {
    const executablePath = findBrowser()
    if (executablePath === undefined) throw new Error(NO_BROWSER)
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ locale: options.locale, viewport: options.viewport ?? { width: 1280, height: 800 } })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`)
    })

    const sent: unknown[] = []
    const refused: string[] = []
    await page.exposeBinding('__cccInvoke', async (source, method: Method, request: unknown): Promise<Envelope<unknown>> => {
      // The same rule as the Electron binding (main/electron/ipc.ts): our page, top frame only.
      const frame = { url: source.frame.url(), isTop: source.frame.parentFrame() === null }
      if (!isTrustedSender(frame, url)) {
        refused.push(`${method} from ${frame.url}${frame.isTop ? '' : ' (subframe)'}`)
        return { ok: false, error: { code: 'Ipc.Forbidden', message: 'Refused: not the app page' } }
      }
      let reply: Envelope<unknown>
      if (options.dispatch) {
        reply = await options.dispatch(method, request)
      } else {
        try {
          reply = { ok: true, value: await options.handlers!(method, request) }
        } catch (e) {
          reply = envelopeOf(e)
        }
      }
      sent.push(reply)
      return reply
    })
    await page.addInitScript({ content: script })
    await page.goto(url)

    const b = browser
    return {
      page,
      url,
      traffic: () => sent,
      refused: () => refused,
      async emit(event, payload) {
        sent.push(payload)
        await page.evaluate(([e, p]) => (window as unknown as { __cccEmit(e: string, p: unknown): void }).__cccEmit(e, p), [event, payload] as const)
      },
      async problems() {
        const csp = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)
        return [...csp.map((v) => `csp: ${v}`), ...errors]
      },
      async close() {
        await b.close()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      },
    }
  } catch (e) {
    await browser?.close()
    server.close()
    throw e
  }
}

/** A real drop on the drop zone: dragenter, dragover and drop carrying a File, as a user's mouse does. */
export async function dropFile(page: Page, fileName: string, content: string): Promise<void> {
  await page.evaluate(
    ([name, text]) => {
      const data = new DataTransfer()
      data.items.add(new File([text], name, { type: 'text/csv' }))
      const zone = document.querySelector('[data-testid="drop-zone"]')
      if (zone === null) throw new Error('no drop zone')
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }))
    },
    [fileName, content] as const,
  )
}
