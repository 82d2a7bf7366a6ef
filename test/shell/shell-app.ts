/**
 * The packed app under Playwright's Electron driver, and what the smoke test asks of its main
 * process: native dialogs answered without a person (the stubs replace methods on Electron's own
 * `dialog` object, which main.ts and host.ts call at the moment they need one), its windows'
 * preferences, a refused navigation, and the fuses burnt into its executable.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { configPath, fuses, yaml } from '../build/builder-internals.ts'
import type { Step } from './selectors.ts'

export const SHELL_APP_ENV = 'CCC_SHELL_APP'
export const NO_SHELL_APP = 'no Electron binary: set CCC_SHELL_APP to a packed app'
const SHOTS = fileURLToPath(new URL('../../test-output/shell/', import.meta.url))

/** The packed executable, or undefined (the smoke test skips). Set but missing is a CI mistake: it throws. */
export function shellApp(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const path = env[SHELL_APP_ENV]
  if (!path) return undefined
  if (!existsSync(path)) throw new Error(`${SHELL_APP_ENV}=${path}: no such file (did electron-builder --dir run?)`)
  return path
}

export interface Shell {
  readonly app: ElectronApplication
  readonly page: Page
  /** The app's own stdout and stderr so far: what a failure report shows. */
  output(): string
}

export async function launchShell(executablePath: string, configDir: string): Promise<Shell> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v
  const app = await _electron.launch({
    executablePath,
    // Linux CI runs as root in a container: no GPU, a small /dev/shm (Playwright adds --no-sandbox there).
    args: process.platform === 'linux' ? ['--disable-gpu', '--disable-dev-shm-usage'] : [],
    env: { ...env, CCC_RECORDINGS_NO_UPDATES: '1', CCC_RECORDINGS_CONFIG_DIR: configDir },
    timeout: 60_000,
  })
  const lines: string[] = []
  app.process().stdout?.on('data', (d: Buffer) => lines.push(d.toString('utf8')))
  app.process().stderr?.on('data', (d: Buffer) => lines.push(d.toString('utf8')))
  const page = await app.firstWindow()
  page.setDefaultTimeout(20_000)
  return { app, page, output: () => lines.join('').slice(-20_000) }
}

export async function shot(page: Page, step: Step): Promise<void> {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${step}.png`), fullPage: true })
}

/** The next open dialog (file or folder) picks `path`, as a person would in the native one. */
export async function answerOpenDialog(app: ElectronApplication, path: string): Promise<void> {
  await app.evaluate(({ dialog }, picked) => {
    ;(dialog as unknown as Record<string, unknown>).showOpenDialog = () => Promise.resolve({ canceled: false, filePaths: [picked] })
  }, path)
}

/** Message boxes (the quit question) answer `response` and are recorded instead of shown. */
export async function answerMessageBoxes(app: ElectronApplication, response: number): Promise<void> {
  await app.evaluate(({ dialog }, answer) => {
    const g = globalThis as unknown as { __cccBoxes?: string[] }
    g.__cccBoxes ??= []
    const boxes = g.__cccBoxes
    ;(dialog as unknown as Record<string, unknown>).showMessageBoxSync = (...args: unknown[]) => {
      const options = args.find((a): a is { message: string } => typeof a === 'object' && a !== null && 'message' in a)
      boxes.push(options?.message ?? '')
      return answer
    }
  }, response)
}

export function askedBoxes(app: ElectronApplication): Promise<string[]> {
  return app.evaluate(() => (globalThis as unknown as { __cccBoxes?: string[] }).__cccBoxes ?? [])
}

export interface Preferences {
  readonly contextIsolation: unknown
  readonly sandbox: unknown
  readonly nodeIntegration: unknown
  readonly webviewTag: unknown
}

/** The preferences the window's renderer really got (getLastWebPreferences is real but untyped). */
export function windowPreferences(app: ElectronApplication): Promise<Preferences | null> {
  return app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null } | undefined
    const p = contents?.getLastWebPreferences() ?? null
    return p === null ? null : { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webviewTag: p.webviewTag }
  }, undefined)
}

/** The page tries to leave for another site; returns where it tried to go and where it still is. */
export async function tryNavigation(app: ElectronApplication, page: Page, target: string): Promise<{ attempted: string; url: string }> {
  await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents
    ;(globalThis as unknown as { __cccNav?: Promise<string> }).__cccNav = new Promise((resolve) => contents.once('will-navigate', (event) => resolve(event.url)))
  }, undefined)
  await page.evaluate((url) => {
    window.location.href = url
  }, target)
  const attempted = await app.evaluate(() => (globalThis as unknown as { __cccNav: Promise<string> }).__cccNav, undefined)
  const url = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL(), undefined)
  return { attempted, url }
}

/** FuseV1Options name → '0' or '1', as burnt into the executable (macOS: its Electron Framework). */
export async function packedFuses(executable: string): Promise<Record<string, string>> {
  const wire = await fuses.getCurrentFuseWire(executable)
  const named: Record<string, string> = {}
  for (const [name, index] of Object.entries(fuses.FuseV1Options)) {
    if (typeof index === 'number' && wire[String(index)] !== undefined) named[name] = String.fromCharCode(Number(wire[String(index)]))
  }
  return named
}

/** electron-builder.yml's electronFuses, by FuseV1Options name ('runAsNode' → 'RunAsNode'). */
export async function configuredFuses(): Promise<Record<string, string>> {
  const config = yaml.load(await readFile(configPath, 'utf8')) as { electronFuses: Record<string, unknown> }
  const wanted: Record<string, string> = {}
  for (const [key, on] of Object.entries(config.electronFuses)) {
    if (typeof on === 'boolean' && key !== 'resetAdHocDarwinSignature') wanted[key[0]!.toUpperCase() + key.slice(1)] = on ? '1' : '0'
  }
  return wanted
}
