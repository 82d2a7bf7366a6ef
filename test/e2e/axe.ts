/**
 * axe-core injected into an e2e page (issue 15 item 7): the screen as it is now, checked against
 * WCAG 2.1 A and AA; only serious and critical violations fail a test, each named with its nodes.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

interface Violation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: readonly { readonly target: readonly unknown[] }[]
}

let source: Promise<string> | undefined

/** The serious and critical violations on the page, as `rule: help (targets)` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  const has = await page.evaluate(() => 'axe' in window)
  // Evaluated over the DevTools protocol: the page's CSP (script-src 'self') refuses a script tag.
  if (!has) await page.evaluate(await source)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
}

/**
 * The same check in the dark theme and then the light one (the OS setting, emulated): the page's
 * colours come from `prefers-color-scheme`, so each theme is its own set of contrasts (issue 15
 * item 9). Leaves the page light, as it started.
 */
export async function seriousViolationsInBothThemes(page: Page, each?: (scheme: 'dark' | 'light') => Promise<void>): Promise<string[]> {
  const found: string[] = []
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    // In effect once the root's background follows it (light: #f5f6f8), not after a guessed delay.
    await page.waitForFunction((dark) => (getComputedStyle(document.documentElement).backgroundColor === 'rgb(245, 246, 248)') !== dark, scheme === 'dark')
    found.push(...(await seriousViolations(page)).map((v) => `${scheme}: ${v}`))
    await each?.(scheme)
  }
  return found
}
