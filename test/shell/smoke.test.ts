/**
 * The packed desktop app, launched as users get it (electron-builder --dir), on the system it runs
 * on: CI's Windows, macOS and Linux runners (.github/workflows/ci.yml). Machines that cannot
 * download Electron skip it with one line. Walks what a new user does, against the simulator and
 * the system's real keychain: first run → a profile tested and saved → the demo list imported →
 * start → pause → resume → done, every file byte-exact → a second export running while the window
 * is closed → quit. Also checks the security settings from inside the running app and the fuses
 * in its executable. A screenshot of each step goes to test-output/shell/ (CI uploads them).
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import type { Locale } from '../../main/common/error-catalog.ts'
import { MESSAGES, type Messages } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { type DemoList, underWay, writeDemoList } from './demo-list.ts'
import { IDS, NAMED, SAVE_BUTTON, START_BUTTON, TEMPLATED, TEST_IDS } from './selectors.ts'
import {
  answerMessageBoxes,
  answerOpenDialog,
  askedBoxes,
  configuredFuses,
  launchShell,
  NO_SHELL_APP,
  packedFuses,
  shellApp,
  type Shell,
  shot,
  tryNavigation,
  windowPreferences,
} from './shell-app.ts'

const executable = shellApp()
const SECRET = 'shell-secret-Qw3Er4Ty5Ui6Op7'
const START = `button.${START_BUTTON.classes.replaceAll(' ', '.')}`

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch((e: unknown) => console.error('cleanup:', e))
  cleanup = []
})

async function sameBytes(sim: Sim, dir: string, names: readonly string[]): Promise<string[]> {
  const wrong: string[] = []
  for (const name of names) {
    const file = join(dir, name)
    if (!existsSync(file) || !(await readFile(file)).equals(sim.content(name))) wrong.push(name)
  }
  return wrong
}

/** First run: the window's language decides which words the buttons carry. */
async function firstRun(page: Page): Promise<Messages> {
  const titles = Object.values(MESSAGES).map((m) => m[NAMED.firstRunTitle])
  await page.getByRole('heading', { name: new RegExp(`^(${titles.join('|')})$`) }).waitFor()
  let lang = ''
  await expect.poll(async () => (lang = await page.evaluate(() => document.documentElement.lang))).toMatch(/^(en|zh-CN)$/)
  return MESSAGES[lang as Locale]
}

async function checkSecurity(shell: Shell): Promise<void> {
  const { app, page } = shell
  expect(await windowPreferences(app)).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
  // The page itself: no Node, only the preload's API.
  expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process, typeof (window as { ccc?: unknown }).ccc])).toEqual([
    'undefined',
    'undefined',
    'object',
  ])
  expect(await page.evaluate(() => window.open('https://example.invalid/') === null)).toBe(true)
  const nav = await tryNavigation(app, page, 'https://example.invalid/elsewhere')
  expect(nav.attempted).toBe('https://example.invalid/elsewhere')
  expect(nav.url).toMatch(/^file:.*\/index\.html$/)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
}

async function addProfile(page: Page, m: Messages, sim: Sim): Promise<void> {
  await page.locator(`#${IDS.instance}`).fill(sim.instanceId)
  await page.locator(`#${IDS.accessKey}`).fill(sim.accessKeyId)
  await page.locator(`#${IDS.secret}`).fill(SECRET)
  await page.getByText(m[NAMED.advanced], { exact: true }).click()
  await page.locator(`#${IDS.endpoint}`).fill(sim.endpoint)
  await shot(page, '01-first-run')
  // Testing saves first: the secret goes to the keychain, and the test reads it back from there.
  await page.getByRole('button', { name: m[NAMED.testConnection], exact: true }).click()
  const outcome = page.getByTestId(TEST_IDS.connectionOutcome)
  await outcome.waitFor()
  expect(await outcome.textContent()).toContain(m[NAMED.connectionWorks])
  await shot(page, '02-profile-tested')
  await page.locator(SAVE_BUTTON.selector).click()
  await page.getByRole('heading', { name: m[NAMED.newExportTitle] }).waitFor()
  await shot(page, '03-new-export')
}

/** Picks the list and the folder in the (answered) native dialogs; ends on the preview. */
async function importList(shell: Shell, m: Messages, list: DemoList, out: string): Promise<void> {
  const { app, page } = shell
  await answerOpenDialog(app, list.file)
  await page.getByRole('button', { name: m[NAMED.chooseFile], exact: true }).click()
  await page.getByTestId(TEST_IDS.preview).waitFor()
  expect(await page.getByTestId(TEST_IDS.previewNames).textContent()).toBe(String(list.names.length))
  await answerOpenDialog(app, out)
  await page.getByRole('button', { name: m[NAMED.chooseFolder], exact: true }).click()
  await expect.poll(() => page.locator(`#${IDS.folder}`).inputValue()).toBe(out)
}

async function startPauseResume(page: Page, m: Messages, sim: Sim, list: DemoList): Promise<void> {
  const slowUnderWay = underWay(sim, list.slow, 64 * 1024)
  await page.locator(START).click()
  const state = page.getByTestId(TEST_IDS.exportState)
  await state.waitFor()
  await slowUnderWay
  await shot(page, '05-running')
  await page.getByRole('button', { name: m[NAMED.pause], exact: true }).click()
  await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe(m[TEMPLATED.paused])
  await shot(page, '06-paused')
  await page.getByRole('button', { name: m[NAMED.resume], exact: true }).click()
  await expect.poll(() => state.textContent(), { timeout: 120_000 }).toBe(m[TEMPLATED.finished])
  // The paused transfers went on from their .part files, not from byte 0.
  expect([...sim.stats.partialReplies.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  await page.getByRole('region', { name: m[NAMED.failures] }).waitFor()
  await shot(page, '07-finished')
}

/**
 * Closes the window while a second export runs (issue 15, item 2): the app keeps running in the
 * tray (the dock on macOS) with the window hidden, asks nothing, and the export finishes.
 */
async function closeWhileRunning(shell: Shell, sim: Sim, list: DemoList, out: string): Promise<void> {
  const { app, page } = shell
  const slowUnderWay = underWay(sim, list.slow, 32 * 1024)
  await page.locator(START).click()
  await slowUnderWay
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
  await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible() ?? false)).toBe(false)
  expect(await askedBoxes(app)).toHaveLength(0)
  // No window on screen, and the export still finishes.
  await expect.poll(() => sameBytes(sim, out, list.names), { timeout: 60_000 }).toEqual([])
}

describe.skipIf(executable === undefined)(titled('the packed app on this system', executable === undefined ? NO_SHELL_APP : null), () => {
  it('has the fuses electron-builder.yml burns, with --inspect on only for this test build', async () => {
    const wanted = await configuredFuses()
    // Playwright drives Electron through --inspect, so CI packs this build with that one fuse on;
    // test/build/pack.test.ts proves the release configuration turns it off.
    wanted.EnableNodeCliInspectArguments = '1'
    expect(await packedFuses(executable!)).toMatchObject(wanted)
  })

  it('walks first run → profile → import → start → pause → resume → done → close → quit', async () => {
    const sim = await startSim({ accessKeySecret: SECRET })
    const dir = await mkdtemp(join(tmpdir(), 'ccc-shell-'))
    cleanup.push(async () => {
      await sim.close()
      await rm(dir, { recursive: true, force: true })
    })
    const [config, out, out2] = ['config', 'out', 'out-2'].map((d) => join(dir, d)) as [string, string, string]
    await mkdir(out)
    await mkdir(out2)
    const list = await writeDemoList(sim, dir, '录音清单.csv', { count: 40, slow: 4, start: Date.UTC(2026, 2, 1, 1), troublemakers: true })
    const list2 = await writeDemoList(sim, dir, 'second.csv', { count: 4, slow: 4, start: Date.UTC(2026, 3, 1, 1), troublemakers: false })

    const shell = await launchShell(executable!, config)
    onTestFailed(() => console.error(`the app's output:\n${shell.output()}`))
    cleanup.push(async () => {
      if (shell.app.process().exitCode !== null || shell.app.process().signalCode !== null) return
      await answerMessageBoxes(shell.app, 0)
      await shell.app.close()
    })
    const { page } = shell
    const m = await firstRun(page)
    await checkSecurity(shell)

    await addProfile(page, m, sim)
    // The profile landed in the folder CCC_RECORDINGS_CONFIG_DIR names, and the secret did not.
    expect(await readFile(join(config, 'profiles.json'), 'utf8')).not.toContain(SECRET)

    await importList(shell, m, list, out)
    await shot(page, '04-preview')
    await startPauseResume(page, m, sim, list)
    const present = list.names.filter((n) => !list.missing.includes(n))
    expect(await sameBytes(sim, out, present)).toEqual([])
    for (const name of list.missing) expect(existsSync(join(out, name)), name).toBe(false)

    await page.getByRole('navigation').getByRole('button', { name: m[TEMPLATED.newExport], exact: true }).click()
    await importList(shell, m, list2, out2)
    await shot(page, '08-second-export')
    await closeWhileRunning(shell, sim, list2, out2)

    // Quit: "Pause and quit" should the export still be winding down; the process must end.
    await answerMessageBoxes(shell.app, 0)
    await shell.app.close()
    expect(shell.app.process().exitCode ?? shell.app.process().signalCode).not.toBeNull()
  }, 300_000)
})
