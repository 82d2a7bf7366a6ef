/**
 * A million-file export in real Chromium against the real handlers and engine: its list stays
 * virtual, and a search by name finds one file among the million. The export is opened, not run:
 * the list is what is under test, not a million downloads.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { HistoryStore } from '../../main/electron/settings-store.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { recordingHost } from '../electron/host-recorder.ts'
import { titled } from '../requirement.ts'
import { type OpenApp, openApp } from './harness.ts'
import { shotBoth } from './shots.ts'
import { cleanupAfterEach, stackSkip } from './stack.ts'

const skip = stackSkip()
const N = 1_000_000

const cleanup = cleanupAfterEach()

describe.skipIf(skip !== null)(titled('a million files in the queue', skip), () => {
  it('searches a million-file export by name and sorts it', { timeout: 120_000 }, async () => {
    const m = MESSAGES.en
    const dir = await mkdtemp(join(tmpdir(), 'e2e-million-'))
    const out = join(dir, 'big')
    const config = join(dir, 'config')
    const handlers = createHandlers({
      host: { ...recordingHost().host, systemLocale: () => 'en' },
      secrets: new KeyringStore({ service: `ccc-recordings-e2e-million-${process.pid}` }),
      configDir: config,
      fetch: globalThis.fetch,
      emit: () => undefined,
    })
    let app: OpenApp | undefined
    cleanup.push(async () => {
      await app?.close()
      await handlers.close()
      await rm(dir, { recursive: true, force: true })
    })
    const profile = { name: 'p', region: 'cn-shanghai', instanceId: 'inst-1', accessKeyId: 'LTAIabcdefgh' }
    expect((await dispatch(handlers, 'profiles:save', { profile, secret: 'million-secret-a1b2c3' })).ok).toBe(true)
    const names = Array.from({ length: N }, (_, i) => `${1709251200000 + i}-${String(i).padStart(7, '0')}.wav`)
    await handlers.exports.start({ outDir: out, connection: { instanceId: 'inst-1', profile: 'p' }, source: { kind: 'names', file: 'million.csv' }, names })
    await new HistoryStore(config).remember(out)

    app = await openApp({ dispatch: (method, r) => dispatch(handlers, method, r), locale: 'en' })
    const { page } = app
    page.setDefaultTimeout(30_000)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    await page.getByRole('button', { name: /Queue/ }).click()
    await page.getByRole('button', { name: 'million.csv', exact: true }).click()
    await expect.poll(() => page.locator('#files-title').textContent()).toContain('1,000,000')
    expect(await page.locator('.file-row').count()).toBeLessThan(100)

    await page.getByRole('searchbox', { name: m['files.search'] }).fill('0765432')
    await expect.poll(() => page.locator('#files-title').textContent()).toContain('(1)')
    await page.getByText(`${1709251200000 + 765432}-0765432.wav`).waitFor()
    await shotBoth(page, 'en', 'queue-million-search')

    await page.getByRole('searchbox', { name: m['files.search'] }).fill('')
    await page.locator('#file-sort').selectOption('name')
    await expect.poll(() => page.locator('.file-row').first().textContent()).toContain('1709251200000-0000000.wav')
    expect(await app.problems()).toEqual([])
  })
})
