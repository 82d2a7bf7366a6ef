/**
 * Runs everywhere (the smoke test itself needs a packed app): every hook the smoke test drives is
 * still where the renderer puts it.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { IDS, NAMED, SAVE_BUTTON, START_BUTTON, STEPS, TEMPLATED, TEST_IDS } from './selectors.ts'

const components = fileURLToPath(new URL('../../renderer/components/', import.meta.url))
let sources: Map<string, string>
const all = () => [...sources.values()].join('\n')

beforeAll(async () => {
  const files = (await readdir(components)).filter((f) => f.endsWith('.svelte'))
  sources = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(components, f), 'utf8')] as const)))
})

describe("the smoke test's hooks in the renderer", () => {
  it('finds every element id and test id', () => {
    for (const id of Object.values(IDS)) expect(all(), id).toContain(`id="${id}"`)
    for (const id of Object.values(TEST_IDS)) expect(all(), id).toContain(`data-testid="${id}"`)
  })

  it('finds the start button by its classes, once', () => {
    const source = sources.get(START_BUTTON.component) ?? ''
    expect(source.split(`class="${START_BUTTON.classes}"`)).toHaveLength(2)
    expect(all().split(`class="${START_BUTTON.classes}"`)).toHaveLength(2)
  })

  it("finds the profile form's one submit button", () => {
    const source = sources.get(SAVE_BUTTON.component) ?? ''
    expect(source).toContain('<form')
    expect(source.split('type="submit"')).toHaveLength(2)
  })

  it('finds every button and heading it looks up by name', () => {
    for (const key of Object.values(NAMED)) expect(all(), key).toContain(`t('${key}')`)
    expect(sources.get('Nav.svelte')).toContain('t(`nav.${item}`)')
    // The selected export's detail (the Queue page lists several since issue 15).
    expect(sources.get('ExportDetail.svelte')).toContain('t(`exportState.${progress.state}`)')
  })

  it('has every name in both languages', () => {
    for (const messages of Object.values(MESSAGES)) {
      for (const key of [...Object.values(NAMED), ...Object.values(TEMPLATED)]) expect(messages[key], key).not.toBe('')
    }
  })

  it('numbers its steps in order, without gaps', () => {
    expect(STEPS.map((s) => Number(s.slice(0, 2)))).toEqual(STEPS.map((_, i) => i + 1))
  })
})
