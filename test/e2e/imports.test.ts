/**
 * Imports in real Chromium against the real handlers: a CSV whose header names no known column
 * asks which column holds the names (showing its first rows), an .xlsx imports like a CSV, and a
 * file dropped anywhere on the New export screen is read, not only on the drop zone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Locale } from '../../main/common/error-catalog.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { recordingHost } from '../electron/host-recorder.ts'
import { xlsxOf } from '../engine/import/xlsx-fixture.ts'
import { titled } from '../requirement.ts'
import { type OpenApp, openApp } from './harness.ts'
import { shotBoth } from './shots.ts'
import { cleanupAfterEach, stackSkip } from './stack.ts'

const skip = stackSkip()

const cleanup = cleanupAfterEach()

/** Drops a file made of `bytes` on whatever `selector` finds, as a mouse would. */
async function dropBytes(page: Page, selector: string, fileName: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(
    ([sel, name, data]) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([new Uint8Array(data)], name))
      const target = document.querySelector(sel)
      if (target === null) throw new Error(`nothing at ${sel}`)
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }))
    },
    [selector, fileName, [...bytes]] as const,
  )
}

async function setUp(locale: Locale): Promise<OpenApp> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-imports-'))
  const handlers = createHandlers({
    host: { ...recordingHost({ folder: join(dir, 'out') }).host, systemLocale: () => locale },
    secrets: new KeyringStore({ service: `ccc-recordings-e2e-imports-${process.pid}` }),
    configDir: join(dir, 'config'),
    fetch: globalThis.fetch,
    emit: () => undefined,
  })
  const profile = { name: 'p', region: 'cn-shanghai', instanceId: 'inst-1', accessKeyId: 'LTAIabcdefgh' }
  expect((await dispatch(handlers, 'profiles:save', { profile, secret: 'imports-secret-x1y2z3' })).ok).toBe(true)
  const app = await openApp({ dispatch: (m, r) => dispatch(handlers, m, r), locale })
  cleanup.push(async () => {
    await app.close()
    await handlers.close()
    await rm(dir, { recursive: true, force: true })
  })
  return app
}

describe.skipIf(skip !== null)(titled('imports in the browser', skip), () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`asks for the column of an unknown header, and imports an .xlsx dropped anywhere (${locale})`, async () => {
      const m = MESSAGES[locale]
      const app = await setUp(locale)
      const { page } = app
      page.setDefaultTimeout(10_000)
      await page.getByRole('heading', { name: m['newExport.title'] }).waitFor()

      // Dropped on the screen's heading, with the Paste tab open: still read.
      await page.getByRole('tab', { name: m['source.tab.paste'] }).click()
      const csv = new TextEncoder().encode('通话ID,坐席,文件\nc1,a1,x1.wav\nc2,a2,x2.wav\nc3,a3,x3.wav\n')
      await dropBytes(page, 'h1', 'calls.csv', csv)
      const picker = page.getByRole('group', { name: m['columns.question'] })
      await picker.waitFor()
      await picker.getByText('x2.wav').waitFor()
      await shotBoth(page, locale, 'column-picker')
      expect(await page.locator('button.primary.big').isDisabled()).toBe(true)
      await picker.getByLabel(m['columns.column'].replace('{n}', '3')).check()
      await picker.getByRole('button', { name: m['columns.use'] }).click()
      await expect.poll(() => page.getByTestId('preview-names').textContent()).toBe('3')
      expect(await picker.count()).toBe(0)

      // An Excel workbook, its header known: no question, the names read from the first sheet.
      await page.getByRole('button', { name: m['preview.change'] }).click()
      await dropBytes(page, '[data-testid="drop-zone"]', '清单.xlsx', xlsxOf([['话务ID', '录音文件名'], ['c1', 'a.wav'], ['c2', 'b.wav']]))
      await expect.poll(() => page.getByTestId('preview-names').textContent()).toBe('2')
      await page.getByRole('heading', { name: '清单.xlsx' }).waitFor()
      expect(await page.getByRole('group', { name: m['columns.question'] }).count()).toBe(0)
      await shotBoth(page, locale, 'preview-xlsx')
      expect(await app.problems()).toEqual([])
    })
  }
})
