/**
 * The real main side behind the page, as the end-to-end tests start it: the simulator, a temp
 * folder, the handler map with the engine and the private test keyring, and the built renderer in
 * real Chromium dispatching to it. Undone after each test, last step first.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, expect } from 'vitest'
import type { ProfileInput } from '../../main/common/api.ts'
import type { Locale } from '../../main/common/error-catalog.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers, type HostPorts } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import type { Messages } from '../../renderer/i18n/translate.ts'
import { recordingHost } from '../electron/host-recorder.ts'
import { NO_TEST_KEYRING } from '../engine/credentials/keyring-env.ts'
import { type Sim, type SimOptions, startSim } from '../sim/index.ts'
import { browserSkip } from './browser.ts'
import { type OpenApp, openApp } from './harness.ts'

/** Why a test of the whole stack skips here (no browser, or no private test keyring), or null when it runs. */
export function stackSkip(): string | null {
  return browserSkip() ?? (process.env.CCC_TEST_KEYRING === '1' ? null : NO_TEST_KEYRING)
}

export interface Cleanup {
  push(step: () => Promise<void>): void
}

/** What each test leaves to undo, run last step first after each test. */
export function cleanupAfterEach(): Cleanup {
  let steps: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const fn of steps.reverse()) await fn()
    steps = []
  })
  return { push: (step) => void steps.push(step) }
}

/** A profile for the simulator's instance, as the first-run form would save it. */
export function simProfile(sim: Sim, name = 'default') {
  return { name, region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint }
}

export interface StackOptions {
  /** Names the temp folder: `e2e-<tag>-…`. */
  readonly tag: string
  /** The keychain service, the process id appended: each file its own entries. */
  readonly service: string
  readonly locale: Locale
  /** The simulator's secret, and the one a `profile` is saved with. */
  readonly secret: string
  /** More of the simulator's options. */
  readonly sim?: Omit<SimOptions, 'accessKeySecret'>
  /** Host answers over the recorded host's, whose folder picker answers `out`. */
  readonly host?: (dir: string) => Partial<HostPorts>
  /** A profile saved through the handlers before the page opens. */
  readonly profile?: (sim: Sim, out: string) => ProfileInput
  /** Keychain accounts deleted once the page is closed. */
  readonly forget?: readonly string[]
}

export interface Stack {
  readonly sim: Sim
  /** The temp folder: config/ and out/ inside. */
  readonly dir: string
  /** `<dir>/out`, where the folder picker points. */
  readonly out: string
  readonly app: OpenApp
  readonly handlers: ReturnType<typeof createHandlers>
  /** The store the handlers keep secrets in. */
  readonly secrets: KeyringStore
  /** The host calls the app made (openPath, reveal). */
  readonly calls: ReturnType<typeof recordingHost>['calls']
}

/** Starts the simulator, the handlers and the page; `cleanup` closes them after the test. */
export async function startStack(cleanup: Cleanup, options: StackOptions): Promise<Stack> {
  const { locale, secret } = options
  const sim = await startSim({ ...options.sim, accessKeySecret: secret })
  const dir = await mkdtemp(join(tmpdir(), `e2e-${options.tag}-`))
  const out = join(dir, 'out')
  const recorder = recordingHost({ folder: out })
  const secrets = new KeyringStore({ service: `${options.service}-${process.pid}` })
  let app: OpenApp | undefined
  const handlers = createHandlers({
    host: { ...recorder.host, systemLocale: () => locale, ...options.host?.(dir) },
    secrets,
    configDir: join(dir, 'config'),
    fetch: globalThis.fetch,
    emit: (event, payload) => void app?.emit(event, payload).catch(() => undefined),
  })
  if (options.profile) expect(await dispatch(handlers, 'profiles:save', { profile: options.profile(sim, out), secret })).toMatchObject({ ok: true })
  app = await openApp({ dispatch: (method, request) => dispatch(handlers, method, request), locale })
  const opened = app
  cleanup.push(async () => {
    await opened.close()
    for (const account of options.forget ?? []) await secrets.delete(account)
    await handlers.close()
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })
  return { sim, dir, out, app, handlers, secrets, calls: recorder.calls }
}

/** First run, as a user fills it in: waits for its form, then the simulator's instance, key ID, `secret` and (under Advanced) endpoint. */
export async function fillFirstRun(page: Page, m: Messages, sim: Sim, secret: string): Promise<void> {
  await page.getByRole('heading', { name: m['firstRun.title'] }).waitFor()
  await page.locator('#pf-instance').fill(sim.instanceId)
  await page.locator('#pf-key').fill(sim.accessKeyId)
  await page.locator('#pf-secret').fill(secret)
  await page.getByText(m['profile.advanced']).click()
  await page.locator('#pf-endpoint').fill(sim.endpoint)
}
