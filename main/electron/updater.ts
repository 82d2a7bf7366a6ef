/**
 * Auto-update from GitHub Releases with electron-updater: one check when the app starts, the new
 * version downloads in the background, and nothing is installed until the user says so.
 *
 * Off (the app never contacts the update feed):
 * - in development (`!app.isPackaged`): there is no app-update.yml and nothing to replace;
 * - on Linux: those packages are not code-signed; users take new versions from the releases page;
 * - when the build is unsigned. electron-updater trusts whatever the feed serves unless the installed
 *   app is signed: on Windows it checks the update's Authenticode publisher only if the running build
 *   recorded one, and Squirrel.Mac refuses to update an unsigned app anyway. The release workflow
 *   knows whether it signed (the signing secrets exist) and then packs `"signedBuild": true` into the
 *   app's package.json (`-c.extraMetadata.signedBuild=true`); builds made without it stay put.
 * - when CCC_RECORDINGS_NO_UPDATES=1 (managed machines whose IT rolls out versions itself).
 *
 * Electron is only a type here, and electron-updater is loaded at run time, so the policy and the
 * dialog flow are tested under plain Node (test/build/updater.test.ts).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { App, MessageBoxOptions } from 'electron'
import { redact } from '../common/redact.ts'
import type { Language } from '../common/shell-text.ts'
import { updateText } from './update-text.ts'

/** The field the release workflow adds to the packed package.json of a signed build. */
export const SIGNED_BUILD_FIELD = 'signedBuild'
export const NO_UPDATES_ENV = 'CCC_RECORDINGS_NO_UPDATES'

export type UpdateGate =
  | { readonly enabled: true }
  | { readonly enabled: false; readonly reason: 'development' | 'disabled' | 'platform' | 'unsigned' }

export interface UpdateFacts {
  readonly isPackaged: boolean
  readonly platform: NodeJS.Platform
  /** The packaged app's package.json (parsed), or undefined when it could not be read. */
  readonly manifest: unknown
  readonly env: Readonly<Record<string, string | undefined>>
}

export function isSignedBuild(manifest: unknown): boolean {
  if (typeof manifest !== 'object' || manifest === null) return false
  const flag = (manifest as Record<string, unknown>)[SIGNED_BUILD_FIELD]
  // electron-builder's -c.extraMetadata.x=true may arrive as a boolean or as the string.
  return flag === true || flag === 'true'
}

export function updateGate(facts: UpdateFacts): UpdateGate {
  if (!facts.isPackaged) return { enabled: false, reason: 'development' }
  if (facts.env[NO_UPDATES_ENV] === '1') return { enabled: false, reason: 'disabled' }
  if (facts.platform !== 'win32' && facts.platform !== 'darwin') return { enabled: false, reason: 'platform' }
  if (!isSignedBuild(facts.manifest)) return { enabled: false, reason: 'unsigned' }
  return { enabled: true }
}

/** electron-updater's logger interface: it passes strings, and sometimes errors. */
export interface UpdaterLogger {
  info(message?: unknown): void
  warn(message?: unknown): void
  error(message?: unknown): void
}

/** The part of electron-updater's `autoUpdater` (AppUpdater, 6.8) used here. */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  logger: UpdaterLogger | null
  checkForUpdates(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'update-downloaded', listener: (info: { readonly version: string }) => void): unknown
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown
}

export interface UpdateLog {
  info(message: string): void
  warn(message: string): void
}

export interface AutoUpdateDeps {
  readonly app: Pick<App, 'isPackaged' | 'getAppPath' | 'getLocale' | 'getPreferredSystemLanguages'>
  /**
   * The language picked in Settings ('system' follows the OS), asked when the question is shown so
   * that a change made since the app started counts: main passes the one its menu and tray use.
   */
  readonly language: () => Language
  /** Shows a message box and resolves with the index of the button pressed (`dialog.showMessageBox`). */
  readonly ask: (options: MessageBoxOptions) => Promise<{ readonly response: number }>
  readonly log: UpdateLog
  readonly loadUpdater?: () => Promise<Updater>
  readonly platform?: NodeJS.Platform
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * electron-updater is CommonJS and defines `autoUpdater` as a getter, which Node's ESM loader does not
 * list as a named export: it is found on the default export. The specifier is a variable so that
 * type-checking does not need the package (the types above are the contract); at run time it resolves
 * from app.asar's node_modules, where electron-builder puts it as a production dependency.
 */
export async function loadElectronUpdater(): Promise<Updater> {
  const specifier = 'electron-updater'
  const mod = (await import(specifier)) as { default?: { autoUpdater?: Updater }; autoUpdater?: Updater }
  const updater = mod.default?.autoUpdater ?? mod.autoUpdater
  if (!updater) throw new Error('electron-updater does not export autoUpdater')
  return updater
}

/** The packed package.json: inside app.asar, which Electron's fs reads like a folder. */
function readManifest(app: Pick<App, 'getAppPath'>): unknown {
  try {
    return JSON.parse(readFileSync(path.join(app.getAppPath(), 'package.json'), 'utf8'))
  } catch {
    return undefined
  }
}

/** The OS language as main's other texts read it (host.ts): Windows' display language before Chromium's. */
function systemLocale(app: Pick<App, 'getLocale' | 'getPreferredSystemLanguages'>): string {
  return app.getPreferredSystemLanguages()[0] ?? app.getLocale()
}

export type InstallChoice = 'restart' | 'on-quit' | 'not-now'
const CHOICES: readonly InstallChoice[] = ['restart', 'on-quit', 'not-now']

// GitHub serves release assets through presigned redirects (X-Amz-Signature…): no query string of
// any URL reaches the log.
function scrub(message: unknown): string {
  const text = message instanceof Error ? message.message : String(message)
  return redact(text).replace(/(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*/gi, '$1?<redacted>')
}

/**
 * Checks for an update if this build may update itself; resolves with the decision once the check is
 * done (a found update then downloads in the background and is offered when ready). Never throws: a
 * call centre's firewall blocking GitHub is normal, and only worth a log line. Call it without
 * awaiting, after the window is up.
 */
export async function startAutoUpdate(deps: AutoUpdateDeps): Promise<UpdateGate> {
  const gate = updateGate({
    isPackaged: deps.app.isPackaged,
    platform: deps.platform ?? process.platform,
    manifest: deps.app.isPackaged ? readManifest(deps.app) : undefined,
    env: deps.env ?? process.env,
  })
  if (!gate.enabled) {
    deps.log.info(`updates: off (${gate.reason})`)
    return gate
  }

  let updater: Updater
  try {
    updater = await (deps.loadUpdater ?? loadElectronUpdater)()
  } catch (error) {
    deps.log.warn(`updates: electron-updater could not be loaded: ${scrub(error)}`)
    return gate
  }

  updater.logger = {
    info: (m) => deps.log.info(`updates: ${scrub(m)}`),
    warn: (m) => deps.log.warn(`updates: ${scrub(m)}`),
    error: (m) => deps.log.warn(`updates: ${scrub(m)}`),
  }
  // Downloading is silent and harmless; installing waits for a yes.
  updater.autoDownload = true
  updater.autoInstallOnAppQuit = false

  let asked = false
  updater.on('update-downloaded', (info) => {
    if (asked) return
    asked = true
    offerInstall(updater, info.version, { ask: deps.ask, language: deps.language(), systemLocale: systemLocale(deps.app) }).catch((error: unknown) =>
      deps.log.warn(`updates: ${scrub(error)}`),
    )
  })
  updater.on('error', (error) => deps.log.warn(`updates: ${scrub(error)}`))

  try {
    await updater.checkForUpdates()
  } catch (error) {
    deps.log.warn(`updates: check failed: ${scrub(error)}`)
  }
  return gate
}

/** Asks whether to install a downloaded version, and does what the answer says. */
export async function offerInstall(
  updater: Pick<Updater, 'quitAndInstall' | 'autoInstallOnAppQuit'>,
  version: string,
  deps: Pick<AutoUpdateDeps, 'ask'> & { readonly language: Language; readonly systemLocale: string },
): Promise<InstallChoice> {
  const text = updateText(deps.language, deps.systemLocale, version)
  const { response } = await deps.ask({
    type: 'info',
    title: text.title,
    message: text.message,
    detail: text.detail,
    buttons: [...text.buttons],
    defaultId: 0,
    cancelId: text.buttons.length - 1,
    noLink: true,
  })
  const choice = CHOICES[response] ?? 'not-now'
  // Silent: the assisted NSIS installer would otherwise walk the user through its pages again.
  if (choice === 'restart') updater.quitAndInstall(true, true)
  else if (choice === 'on-quit') updater.autoInstallOnAppQuit = true
  return choice
}
