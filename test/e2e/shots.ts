import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import type { Locale } from '../../main/common/error-catalog.ts'

const SHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url))

/** The screen at the window's width (1280) and at 900 px, where it must still fit: `<screen>.png` and `<screen>-900.png`. */
export async function shotBoth(page: Page, locale: Locale, screen: string): Promise<void> {
  await mkdir(join(SHOTS, locale), { recursive: true })
  await page.screenshot({ path: join(SHOTS, locale, `${screen}.png`), fullPage: true })
  const size = page.viewportSize()
  await page.setViewportSize({ width: 900, height: size?.height ?? 800 })
  await page.screenshot({ path: join(SHOTS, locale, `${screen}-900.png`), fullPage: true })
  if (size) await page.setViewportSize(size)
}
