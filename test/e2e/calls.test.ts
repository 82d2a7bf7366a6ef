/**
 * Issue 13's "done when", in the app: real Chromium, the real handlers, engine, keychain and
 * simulator. A CSV with agents, times and numbers; an agent filter and the template
 * `{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}` previewed and used; then History's
 * Verify folder passes, and names the file altered after it.
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Locale } from '../../main/common/error-catalog.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { seriousViolationsInBothThemes } from './axe.ts'
import { dropFile } from './harness.ts'
import { cleanupAfterEach, simProfile, stackSkip, startStack } from './stack.ts'

const SECRET = 'e2e-calls-Zx9Yw8Vu7Ts6Rq5P'
const skip = stackSkip()
const TEMPLATE = '{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}'
const CSV = [
  '话务ID,录音文件名,坐席,开始时间,主叫号码',
  'job-1,r-1.wav,张伟,2026-03-01 09:15:00,13800000001',
  'job-2,r-2.wav,李娜,2026-03-01 10:00:00,13800000002',
  'job-3,r-3.wav,张伟,2026-03-02 11:30:05,13800000003',
].join('\n')

const cleanup = cleanupAfterEach()

/** A profile saved, writing to `out`, and the app open on New export. */
function setUp(locale: Locale) {
  return startStack(cleanup, { tag: 'calls', service: 'ccc-recordings-e2e-calls', locale, secret: SECRET, profile: (sim, out) => ({ ...simProfile(sim), outputDir: out }) })
}

describe.skipIf(skip !== null)(titled('calls, not just files, in the desktop UI', skip), () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    // Each check in both themes, against the real stack: more than the default 30 s on a busy machine.
    it(`filters by agent, names by the template, and verifies the folder (${locale})`, { timeout: 120_000 }, async () => {
      const m = MESSAGES[locale]
      const { app, out } = await setUp(locale)
      const { page } = app
      page.setDefaultTimeout(10_000)
      await page.getByRole('heading', { name: m['newExport.title'] }).waitFor()
      await dropFile(page, 'calls.csv', CSV)
      await page.getByTestId('preview').waitFor()

      await page.getByLabel(m['naming.preset']).selectOption('custom')
      await page.getByLabel(m['naming.template'], { exact: true }).fill(TEMPLATE)
      const preview = page.getByTestId('naming-preview').getByRole('listitem')
      await expect.poll(() => preview.allTextContents()).toEqual([
        '2026-03/张伟/2026-03-01_091500_13800000001_job-1.wav',
        '2026-03/李娜/2026-03-01_100000_13800000002_job-2.wav',
        '2026-03/张伟/2026-03-02_113005_13800000003_job-3.wav',
      ])
      await page.getByLabel(m['filters.agent']).fill('张伟')
      expect(await seriousViolationsInBothThemes(page)).toEqual([])
      await page.locator('button.primary.big').click()
      const state = page.getByTestId('export-state')
      await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe(m['exportState.finished'])
      const files = (await readdir(join(out, '2026-03', '张伟'))).sort()
      expect(files).toEqual(['2026-03-01_091500_13800000001_job-1.wav', '2026-03-02_113005_13800000003_job-3.wav'])
      expect((await readdir(join(out, '2026-03'))).sort()).toEqual(['张伟'])
      // The file list shows each file's call from the export's metadata file (issue 13 item 7): agent and caller by default;
      // what the filter left out is a skipped row, as the report counts it.
      const rows = page.getByRole('list', { name: m['files.title'], exact: true }).getByRole('listitem')
      await expect
        .poll(() => rows.allInnerTexts())
        .toEqual([expect.stringMatching(/r-1\.wav[\s\S]*张伟[\s\S]*13800000001/), expect.stringMatching(/r-3\.wav[\s\S]*张伟[\s\S]*13800000003/), expect.stringMatching(new RegExp(`^r-2\\.wav\\n${m['job.skipped']}`))])

      await page.getByRole('button', { name: m['nav.history'] }).click()
      const item = page.locator('.history-item').first()
      await item.getByRole('button', { name: m['verify.button'] }).click()
      await expect.poll(() => item.getByRole('status').textContent()).toContain(locale === 'en' ? 'All 2 files match' : '全部 2 个文件与清单一致')
      await writeFile(join(out, '2026-03', '张伟', files[0]!), 'altered')
      await item.getByRole('button', { name: m['verify.button'] }).click()
      await expect.poll(() => item.locator('.problems').textContent()).toContain(`2026-03/张伟/${files[0]}`)
      expect(await seriousViolationsInBothThemes(page)).toEqual([])
      expect(await app.problems()).toEqual([])
    })
  }
})
