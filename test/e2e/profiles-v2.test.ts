/**
 * Issues 14 and 15 in real Chromium against the real main side (handler map, engine, the private
 * test keyring, a CCC 2.0 simulator that wants STS credentials): first run with an STS token, the
 * connection test finding the 2.0 instance and filling the API version, a contact-IDs export with
 * the recording kind chosen, and an edit of the profile that keeps its secret and token.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tokenAccount } from '../../main/engine/credentials/profiles.ts'
import { MESSAGES } from '../../renderer/i18n/translate.ts'
import { titled } from '../requirement.ts'
import { cleanupAfterEach, fillFirstRun, stackSkip, startStack } from './stack.ts'

const SECRET = 'e2e-v2-secret-Qw8Er7Ty6Ui5'
const TOKEN = 'CAIS-e2e-v2-sts-Token-Op4As3Df2Gh1'
const skip = stackSkip()

const cleanup = cleanupAfterEach()

describe.skipIf(skip !== null)(titled('CCC 2.0 profiles in the desktop UI against the real engine', skip), () => {
  it('detects a 2.0 instance with STS credentials, exports contact IDs as MKVs, and edits the profile keeping its secrets', { timeout: 120_000 }, async () => {
    const m = MESSAGES.en
    const { sim, dir, out, secrets, app } = await startStack(cleanup, {
      tag: 'v2',
      service: 'ccc-recordings-e2e-v2',
      locale: 'en',
      secret: SECRET,
      sim: { apiVersion: '2020-07-01', instanceId: 'ccc-e2e-v2', accessKeyId: 'STSe2eKey0123456789', securityToken: TOKEN, defaultSize: () => 4096 },
      forget: ['default', tokenAccount('default')],
    })
    sim.addCall({ contactId: 'job-501', startTime: Date.UTC(2026, 2, 3), recordings: ['job-501-a.wav'] })
    const { page } = app
    page.setDefaultTimeout(10_000)

    // First run: STS credentials; the API version is left at 1.0 for the test to correct.
    await fillFirstRun(page, m, sim, SECRET)
    await page.locator('#pf-token').fill(TOKEN)
    expect(await page.locator('#pf-api').inputValue()).toBe('2017-07-05')
    await page.getByRole('button', { name: m['profile.test'] }).click()
    await page.getByTestId('api-detected').waitFor()
    await page.getByTestId('connection-outcome').filter({ hasText: 'Connection OK' }).waitFor()
    expect(await page.locator('#pf-api').inputValue()).toBe('2020-07-01')
    await page.locator('form button[type="submit"]').click()
    await page.getByRole('heading', { name: m['newExport.title'] }).waitFor()
    expect(await secrets.get(tokenAccount('default'))).toBe(TOKEN)
    const file = await readFile(join(dir, 'config', 'profiles.json'), 'utf8')
    expect(JSON.parse(file).profiles[0]).toMatchObject({ apiVersion: '2020-07-01', hasSecurityToken: true })
    expect(file).not.toContain(TOKEN)

    // Contact IDs with the multichannel kind.
    await page.getByRole('tab', { name: m['source.tab.contacts'] }).click()
    await page.getByLabel(m['source.contacts.label']).fill('job-501')
    await page.getByRole('button', { name: m['source.preview'] }).click()
    await page.getByTestId('preview').waitFor()
    await page.getByLabel(m['v2.recording.multichannel']).check()
    await page.getByRole('button', { name: m['common.choose'] }).click()
    await expect.poll(() => page.locator('#opt-folder').inputValue()).toBe(out)
    await page.locator('button.primary.big').click()
    await expect.poll(() => page.getByTestId('export-state').textContent(), { timeout: 20_000 }).toBe(m['exportState.finished'])
    expect((await readFile(join(out, 'job-501.mkv'))).equals(sim.content('job-501.mkv'))).toBe(true)

    // An edit: the instance stays, the region changes; key ID, secret and token are kept.
    await page.getByRole('button', { name: m['nav.settings'] }).click()
    await page.getByRole('button', { name: m['profiles.edit'] }).click()
    expect(await page.locator('#pf-name').getAttribute('readonly')).not.toBeNull()
    await page.locator('#pf-region').selectOption('cn-hangzhou')
    await page.getByRole('button', { name: m['profile.test'] }).click()
    await page.getByTestId('connection-outcome').filter({ hasText: 'Connection OK' }).waitFor()
    await page.locator('form.profile-form button[type="submit"]').click()
    await page.locator('#pf-name').waitFor({ state: 'detached' })
    expect(JSON.parse(await readFile(join(dir, 'config', 'profiles.json'), 'utf8')).profiles[0]).toMatchObject({ region: 'cn-hangzhou', accessKeyId: sim.accessKeyId, hasSecurityToken: true })
    expect(await secrets.get('default')).toBe(SECRET)

    // Neither the secret nor the token ever came back to the page.
    for (const secret of [SECRET, TOKEN]) {
      expect(JSON.stringify(app.traffic())).not.toContain(secret)
      expect(await page.content()).not.toContain(secret)
    }
    expect(await app.problems()).toEqual([])
  })
})
