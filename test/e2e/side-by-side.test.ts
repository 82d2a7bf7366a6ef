/**
 * Two exports at once in real Chromium against the real handlers, engine, keychain and simulator:
 * both listed on the Queue page by name, each paused and resumed from its own row, and "Pause all"
 * stopping both. Screenshots of the two side by side at 1280 and 900 px, in both languages.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Locale } from '../../main/common/error-catalog.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { dropFile } from './harness.ts'
import { shotBoth } from './shots.ts'
import { cleanupAfterEach, simProfile, stackSkip, startStack } from './stack.ts'

const SECRET = 'e2e-sbs-secret-Hg7Fd6Sa5Qw4'
const skip = stackSkip()
/** The two exports' folders, in the temp folder: the folder picker answers them in turn. */
const FOLDERS = ['march', 'april']

const cleanup = cleanupAfterEach()

async function setUp(locale: Locale) {
  const stack = await startStack(cleanup, {
    tag: 'sbs',
    service: 'ccc-recordings-e2e-sbs',
    locale,
    secret: SECRET,
    host: (dir) => {
      const folders = FOLDERS.map((f) => join(dir, f))
      return { pickFolder: async () => folders.shift() ?? null }
    },
    profile: (sim) => simProfile(sim, 'sim'),
  })
  return { ...stack, outs: FOLDERS.map((f) => join(stack.dir, f)) }
}

describe.skipIf(skip !== null)(titled('two exports side by side in the browser', skip), () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`runs two exports at once, controls each from its row, and pauses all (${locale})`, { timeout: 90_000 }, async () => {
      const m = MESSAGES[locale]
      const { sim, outs, app, handlers } = await setUp(locale)
      const { page } = app
      page.setDefaultTimeout(15_000)
      const lists = { 'calls-march.csv': 'm', 'calls-april.csv': 'a' } as const
      for (const [file, prefix] of Object.entries(lists)) {
        const names = Array.from({ length: 4 }, (_, i) => `${prefix}${1709251200000 + i}.wav`)
        for (const n of names) {
          sim.setSize(n, 192 * 1024)
          sim.fault(n, { kind: 'slow', bytesPerSecond: 24 * 1024, times: 3 })
        }
        await page.getByRole('button', { name: m['nav.new-export'] }).click()
        await page.getByTestId('drop-zone').waitFor()
        await dropFile(page, file, `${names.join('\n')}\n`)
        await page.getByTestId('preview').waitFor()
        await page.getByRole('button', { name: m['common.choose'] }).click()
        await expect.poll(() => page.locator('#opt-folder').inputValue()).toBe(outs[file === 'calls-march.csv' ? 0 : 1])
        await page.locator('button.primary.big').click()
        await page.getByRole('heading', { name: m['queue.title'], level: 1 }).waitFor()
      }

      const row = (name: string) => page.getByTestId('export-row').filter({ has: page.getByRole('button', { name, exact: true }) })
      const stateOf = (name: string) => row(name).getByTestId('row-state').textContent()
      const running = m['exportState.running']
      const paused = m['exportState.paused']
      await expect.poll(() => page.getByTestId('export-row').count()).toBe(2)
      await expect.poll(() => stateOf('calls-march.csv')).toBe(running)
      await expect.poll(() => stateOf('calls-april.csv')).toBe(running)
      await shotBoth(page, locale, 'queue-two-exports')

      // Each row controls its own export: April pauses, March goes on; April resumes.
      await page.getByRole('button', { name: m['downloads.pauseOne'].replace('{name}', 'calls-april.csv') }).click()
      await expect.poll(() => stateOf('calls-april.csv')).toBe(paused)
      expect(await stateOf('calls-march.csv')).toBe(running)
      expect(handlers.exports.get(outs[0]!)?.active).toBe(true)
      await page.getByRole('button', { name: m['downloads.resumeOne'].replace('{name}', 'calls-april.csv') }).click()
      await expect.poll(() => stateOf('calls-april.csv')).toBe(running)

      // The detail view follows the row chosen.
      await page.getByRole('button', { name: 'calls-april.csv', exact: true }).click()
      await expect.poll(() => page.getByTestId('export-name').textContent()).toBe('calls-april.csv')

      await page.getByRole('button', { name: m['downloads.pauseAll'] }).click()
      await expect.poll(() => stateOf('calls-march.csv')).toBe(paused)
      await expect.poll(() => stateOf('calls-april.csv')).toBe(paused)
      expect(outs.map((o) => handlers.exports.get(o)?.state)).toEqual(['paused', 'paused'])
      expect(outs.map((o) => handlers.exports.get(o)?.active)).toEqual([false, false])

      await page.getByRole('button', { name: m['downloads.resumeAll'] }).click()
      await expect.poll(() => stateOf('calls-march.csv'), { timeout: 60_000 }).toBe(m['exportState.finished'])
      await expect.poll(() => stateOf('calls-april.csv'), { timeout: 60_000 }).toBe(m['exportState.finished'])
      expect(await app.problems()).toEqual([])
    })
  }
})
