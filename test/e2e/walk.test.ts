/**
 * Every screen in each language in real Chromium against the real handlers, engine and simulator,
 * with screenshots at 1280 and 900 px on the way (test-output/screenshots/<locale>/walk-*.png).
 * In zh-CN the visible text may hold Latin only as file names, paths, codes and the few product
 * words users know in Latin letters (CSV, AccessKey…). In English it may hold Chinese only as the
 * data the walk itself imports (Chinese file names and header cells, as our users' files have) and
 * the other language's own name in the language picker. Raw server messages sit behind a closed
 * "details" toggle, so they are not visible text.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOG, type Locale } from '../../main/common/error-catalog.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { dropFile } from './harness.ts'
import { shotBoth } from './shots.ts'
import { cleanupAfterEach, simProfile, stackSkip, startStack } from './stack.ts'

const skip = stackSkip()
const SECRET = 'e2e-walk-secret-Kj8Hg7Fd6Sa5'

/** The Chinese data the walk imports, in both languages: a file whose header needs the column picker, and a list. */
const PICKER_FILE = '列.csv'
const PICKER_CSV = '通话ID,坐席,文件\nc1,a1,x1.wav\n'
const LIST_FILE = '录音清单.csv'
const LIST_HEADER = '录音文件名'

/** Latin words a Chinese user reads as they are: formats, product and OS names, units, key names. */
const ALLOWED = new Set(
  'CCC CSV TSV TXT Excel xlsx UTF-8 UTF-16 GBK GB18030 ID AccessKey Secret ContactId VPC URL https http Windows macOS Linux English KB MB GB TB B utf-8 gb18030 utf-16le utf-16be job API STS'.split(' '),
)
/** Codes, regions and the test's own names and paths are data, not words. */
const DATA = /^(?:[A-Z][A-Za-z]*(?:\.[A-Za-z]+)+|[a-z]{2}-[a-z]+(?:-\d)?|[\w-]+\.(?:wav|mp3|csv|xlsx)|e2e-walk-[\w]+|tmp|out|sim|default|\d[\w.-]*|v?\d+(?:\.\d+)*(?:-test)?|[0-9a-f]+(?:-[0-9a-f]+){2,})$/

const cleanup = cleanupAfterEach()

/** The visible text of the UI's own words. */
function uiText(page: Page): Promise<string> {
  // Monospaced text is data (paths, names, key IDs, a file's own cells): not the UI's words.
  return page.evaluate(() => {
    const hidden = [...document.querySelectorAll<HTMLElement>('.mono, table.column-rows td')]
    const before = hidden.map((e) => e.style.visibility)
    hidden.forEach((e) => (e.style.visibility = 'hidden'))
    const visible = document.body.innerText
    hidden.forEach((e, i) => (e.style.visibility = before[i] ?? ''))
    return visible
  })
}

/** Latin tokens in the visible text that are neither allowed words nor data. */
async function english(page: Page): Promise<string[]> {
  const text = await uiText(page)
  // A token right after a dot or hyphen is an extension or a suffix ("录音清单.csv", "0.0.0-test").
  const tokens = text.match(/(?<![.\w-])[A-Za-z][A-Za-z0-9._/-]*/g) ?? []
  return [...new Set(tokens.filter((t) => !t.includes('/')).filter((t) => !ALLOWED.has(t) && !DATA.test(t)))]
}

/** Runs of Chinese (Han, CJK punctuation, full-width forms) in a text. */
const cjkRuns = (text: string): string[] => text.match(/[\p{Script=Han}\u3000-\u303f\uff01-\uff60]+/gu) ?? []

/**
 * On an English screen, Chinese may appear only where it is the walk's own data, shown back (the
 * file names, header cells and list it imported), or as the Chinese name of the other language.
 * Allowed by run, as the zh-CN check allows the test's own names: anything else is a leak.
 */
const ALLOWED_CJK = new Set([PICKER_FILE, PICKER_CSV, LIST_FILE, LIST_HEADER, MESSAGES.en['language.zh-CN']].flatMap(cjkRuns))

/** Chinese runs in the visible text that are not the walk's own data. */
async function chinese(page: Page): Promise<string[]> {
  return [...new Set(cjkRuns(await uiText(page)).filter((t) => !ALLOWED_CJK.has(t)))]
}

/** The other language seen on each screen of the walk in one language: zh-CN has no English, en no Chinese. */
const LANGUAGES: { locale: Locale; title: string; foreign: (page: Page) => Promise<string[]> }[] = [
  { locale: 'zh-CN', title: titled('every screen in zh-CN, with no English', skip), foreign: english },
  { locale: 'en', title: titled('every screen in English, with no Chinese but the data it imported', skip), foreign: chinese },
]

// A loop, not describe.each: each's title formatting would quote and cut the skip reason.
for (const { locale, title, foreign } of LANGUAGES) describe.skipIf(skip !== null)(title, () => {
  const m = MESSAGES[locale]
  /** The other language seen, by screen: collected over the whole walk so one run shows every leak. */
  const found: Record<string, string[]> = {}

  async function check(page: Page, screen: string): Promise<void> {
    await shotBoth(page, locale, screen)
    const tokens = await foreign(page)
    if (tokens.length > 0) found[screen] = tokens
  }

  it('walks first run, every source tab, a preview, the column picker, the queue with a failure, history and settings', { timeout: 60_000 }, async () => {
    const { sim, app, handlers } = await startStack(cleanup, { tag: 'walk', service: `ccc-recordings-e2e-walk-${locale}`, locale, secret: SECRET })
    const { page } = app
    page.setDefaultTimeout(10_000)

    await page.getByRole('heading', { name: m['firstRun.title'] }).waitFor()
    await check(page, 'walk-first-run')
    expect((await dispatch(handlers, 'profiles:save', { profile: simProfile(sim), secret: SECRET })).ok).toBe(true)
    await page.reload()
    await page.getByRole('heading', { name: m['newExport.title'] }).waitFor()
    await check(page, 'walk-new-export')

    for (const tab of ['paste', 'contacts', 'range'] as const) {
      await page.getByRole('tab', { name: m[`source.tab.${tab}`] }).click()
      await check(page, `walk-tab-${tab}`)
    }
    // Validation in the screen's language: a range with no days, then contact IDs the server would refuse.
    await page.getByRole('button', { name: m['source.preview'] }).click()
    await page.getByText(m['source.range.invalid']).waitFor()
    await check(page, 'walk-range-invalid')
    await page.getByRole('tab', { name: m['source.tab.contacts'] }).click()
    await page.locator('#contact-ids').fill('ContactId\n\n')
    await page.getByRole('button', { name: m['source.preview'] }).click()
    await page.getByText(ERROR_CATALOG['Source.contacts'].meaning[locale]).waitFor()
    await check(page, 'walk-contacts-invalid')

    await page.getByRole('tab', { name: m['source.tab.file'], exact: true }).click()
    await dropFile(page, PICKER_FILE, PICKER_CSV)
    await page.getByRole('group', { name: m['columns.question'] }).waitFor()
    await check(page, 'walk-column-picker')
    await page.getByRole('button', { name: m['preview.change'] }).click()

    const names = ['walk-1.wav', 'walk-2.wav', 'walk-gone.wav']
    sim.remove('walk-gone.wav')
    await dropFile(page, LIST_FILE, `${LIST_HEADER}\n${names.join('\n')}\n`)
    await page.getByTestId('preview').waitFor()
    await check(page, 'walk-preview')
    await page.getByRole('button', { name: m['common.choose'] }).click()
    await page.locator('button.primary.big').click()
    await expect.poll(() => page.getByTestId('export-state').textContent(), { timeout: 20_000 }).toBe(m['exportState.finished'])
    await page.getByText(ERROR_CATALOG['NotExist.Record'].meaning[locale]).first().waitFor()
    await check(page, 'walk-queue-failures')

    await page.getByRole('button', { name: m['nav.history'] }).click()
    await page.locator('.history-item').first().waitFor()
    await check(page, 'walk-history')
    await page.getByRole('button', { name: m['nav.settings'] }).click()
    await page.getByRole('heading', { name: m['settings.title'] }).waitFor()
    await check(page, 'walk-settings')
    expect(found).toEqual({})
    expect(await app.problems()).toEqual([])
  })
})
