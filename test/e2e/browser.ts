/**
 * A Chromium-family browser for the end-to-end tests and the benchmark's renderer part: CHROME_PATH
 * when set, else Chromium, Google Chrome or Microsoft Edge where each system installs them.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { skipReason } from '../requirement.ts'

export const BROWSER_ENV = 'CHROME_PATH'

type Env = Readonly<Record<string, string | undefined>>

/** Where to look, in order of preference. */
export function browserCandidates(env: Env = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const chosen = env[BROWSER_ENV]
  if (chosen) return [chosen]
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r))
    const apps = ['Google/Chrome/Application/chrome.exe', 'Chromium/Application/chrome.exe', 'Microsoft/Edge/Application/msedge.exe']
    return apps.flatMap((app) => roots.map((root) => join(root, ...app.split('/'))))
  }
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge']
    const roots = ['/Applications', ...(env.HOME ? [join(env.HOME, 'Applications')] : [])]
    return apps.flatMap((app) => roots.map((root) => `${root}/${app}`))
  }
  // Ubuntu's chromium package is a snap launcher that Playwright cannot drive; Debian's is the browser.
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge']
}

export function findBrowser(env: Env = process.env, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): string | undefined {
  return browserCandidates(env, platform).find((p) => exists(p))
}

export const NO_BROWSER = process.env[BROWSER_ENV]
  ? `no browser at ${BROWSER_ENV}=${process.env[BROWSER_ENV]}`
  : `no Chromium-family browser found: install Chromium (Debian: apt-get install chromium), Google Chrome or Microsoft Edge, or set ${BROWSER_ENV}`

/** Why the browser tests skip here, or null when they run (CCC_REQUIRE=browser turns a skip into a failure). */
export function browserSkip(): string | null {
  return skipReason('browser', findBrowser() === undefined ? NO_BROWSER : null)
}
