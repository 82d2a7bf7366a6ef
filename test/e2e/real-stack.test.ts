/**
 * The built renderer in real Chromium against the real main side: the handler map, the engine,
 * the keychain (the private test keyring) and the simulator, all in this process. Walks what a
 * user does, in both languages, and proves the secret never reaches the page and that another
 * frame or origin is refused.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOG, type Locale } from '../../main/common/error-catalog.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { dropFile } from './harness.ts'
import { cleanupAfterEach, fillFirstRun, stackSkip, startStack } from './stack.ts'

const SHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url))
const SECRET = 'e2e-secret-Zx9Yw8Vu7Ts6Rq5P'
const skip = stackSkip()

async function shot(page: Page, locale: Locale, screen: string): Promise<void> {
  await mkdir(join(SHOTS, locale), { recursive: true })
  await page.screenshot({ path: join(SHOTS, locale, `${screen}.png`), fullPage: true })
}

const cleanup = cleanupAfterEach()

/** No profile yet: the app opens on first run. */
function setUp(locale: Locale) {
  return startStack(cleanup, { tag: 'real', service: 'ccc-recordings-e2e', locale, secret: SECRET })
}

describe.skipIf(skip !== null)(titled('desktop UI against the real engine and simulator', skip), () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    // A whole export against the real engine: 23 s alone at load 12, over the default 30 s when other suites share the CPU.
    it(`creates a profile, drops a CSV, pauses, resumes, retries a failure group, opens the folder (${locale})`, { timeout: 90_000 }, async () => {
      const m = MESSAGES[locale]
      const { sim, out, app, calls, secrets } = await setUp(locale)
      const { page } = app
      const names = Array.from({ length: 16 }, (_, i) => `${1709251200000 + i * 60_000}${String(i).padStart(11, '0')}.wav`)
      const missing = [names[2]!, names[9]!]
      for (const n of missing) sim.remove(n)
      // Slow enough that the pause lands mid-transfer however loaded the machine: at 256 KB/s the
      // six finished 0.6 s after the test saw one under way, and on a busy CI run the click came later.
      for (const n of names.slice(10)) {
        sim.setSize(n, 192 * 1024)
        sim.fault(n, { kind: 'slow', bytesPerSecond: 32 * 1024, times: 1 })
      }

      // First run: a profile, tested, saved.
      page.setDefaultTimeout(10_000)
      await fillFirstRun(page, m, sim, SECRET)
      await shot(page, locale, 'first-run')
      await page.getByRole('button', { name: m['profile.test'] }).click()
      await page.getByTestId('connection-outcome').filter({ hasText: locale === 'en' ? 'Connection OK' : '连接正常' }).waitFor()
      await page.locator('form button[type="submit"]').click()
      await page.getByRole('heading', { name: m['newExport.title'] }).waitFor()
      expect(await secrets.get('default')).toBe(SECRET)

      // A CSV as Excel on a Chinese desktop writes it, dropped onto the page.
      await dropFile(page, '录音清单.csv', `话务ID,录音文件名,坐席\n${names.map((n, i) => `c${i},${n},a${i % 3}`).join('\n')}\n`)
      await page.getByTestId('preview').waitFor()
      expect(await page.getByTestId('preview-names').textContent()).toBe(String(names.length))
      await page.getByRole('button', { name: m['common.choose'] }).click()
      await expect.poll(() => page.locator('#opt-folder').inputValue()).toBe(out)
      await shot(page, locale, 'preview')

      // Start, see progress, pause mid-way, resume to the end.
      const slowUnderWay = new Promise<void>((resolve) => {
        const on = (name: string, sent: number) => {
          if (!names.slice(10).includes(name) || sent < 16 * 1024) return
          sim.events.off('chunk', on)
          resolve()
        }
        sim.events.on('chunk', on)
      })
      await page.locator('button.primary.big').click()
      const state = page.getByTestId('export-state')
      await state.waitFor()
      await slowUnderWay
      await expect.poll(async () => Number((await page.getByTestId('percent').textContent())?.replace('%', '')), { timeout: 15_000 }).toBeGreaterThan(0)
      await page.getByRole('button', { name: m['queue.pause'], exact: true }).click()
      await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe(m['exportState.paused'])
      await shot(page, locale, 'paused')
      await page.getByRole('button', { name: m['queue.resume'], exact: true }).click()
      await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe(m['exportState.finished'])
      expect([...sim.stats.partialReplies.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0)

      // The failures, grouped by code and explained in the user's language; then retried.
      const failures = page.getByRole('region', { name: m['failures.title'] })
      await failures.getByText(ERROR_CATALOG['NotExist.Record'].meaning[locale]).waitFor()
      await shot(page, locale, 'queue')
      for (const n of missing) sim.replace(n)
      await failures.getByRole('button', { name: m['failures.retry'] }).click()
      await expect.poll(() => page.getByTestId('percent').textContent(), { timeout: 15_000 }).toBe('100%')
      await expect.poll(() => state.textContent()).toBe(m['exportState.finished'])
      for (const n of names) expect((await readFile(join(out, n))).equals(sim.content(n)), n).toBe(true)

      await page.getByRole('button', { name: m['common.openFolder'] }).first().click()
      await expect.poll(() => calls).toContainEqual({ method: 'openPath', path: out })

      await page.getByRole('button', { name: m['nav.history'] }).click()
      await page.locator('.history-item').first().waitFor()
      await shot(page, locale, 'history')
      await page.getByRole('button', { name: m['nav.settings'] }).click()
      await page.getByRole('heading', { name: m['settings.title'] }).waitFor()
      await shot(page, locale, 'settings')

      // The secret went to the keychain once and never came back to the page.
      expect(JSON.stringify(app.traffic())).not.toContain(SECRET)
      expect(await page.content()).not.toContain(SECRET)
      expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toContain(SECRET)
      expect(await app.problems()).toEqual([])
    })
  }

  it('refuses calls from another frame or another origin', async () => {
    const { app } = await setUp('en')
    const { page } = app
    await page.getByRole('heading').first().waitFor()
    const fromFrame = await page.evaluate(async () => {
      const frame = document.createElement('iframe')
      frame.srcdoc = '<p>embedded</p>'
      document.body.append(frame)
      await new Promise((r) => frame.addEventListener('load', r, { once: true }))
      const api = (frame.contentWindow as unknown as { ccc: Record<string, (r?: unknown) => Promise<unknown>> }).ccc
      return api['profiles:list']!().then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      )
    })
    expect(fromFrame).toBe('Ipc.Forbidden')

    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>elsewhere</title><p>elsewhere</p>'))
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    cleanup.push(() => new Promise((r) => other.close(() => r())))
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`)
    const fromOrigin = await page.evaluate(() =>
      (window as unknown as { ccc: Record<string, (r?: unknown) => Promise<unknown>> }).ccc['profiles:list']!().then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      ),
    )
    expect(fromOrigin).toBe('Ipc.Forbidden')
    expect(app.refused()).toHaveLength(2)
  })
})
