/**
 * main/electron/updater.ts under plain Node. Neither Electron nor electron-updater can run here, so
 * the app and the updater are small stand-ins with the same surface (the updater's is the `Updater`
 * type, which electron-updater 6.8's AppUpdater satisfies).
 */
import { EventEmitter } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MessageBoxOptions } from 'electron'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Language } from '../../main/common/shell-text.ts'
import {
  NO_UPDATES_ENV,
  offerInstall,
  SIGNED_BUILD_FIELD,
  startAutoUpdate,
  type UpdateFacts,
  type Updater,
  type UpdaterLogger,
  updateGate,
} from '../../main/electron/updater.ts'

class StandInUpdater extends EventEmitter implements Updater {
  autoDownload = false
  autoInstallOnAppQuit = true
  logger: UpdaterLogger | null = null
  checks = 0
  installs: [boolean | undefined, boolean | undefined][] = []
  failCheck: Error | null = null

  checkForUpdates(): Promise<unknown> {
    this.checks++
    return this.failCheck ? Promise.reject(this.failCheck) : Promise.resolve(null)
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter])
  }
}

const signed = { [SIGNED_BUILD_FIELD]: true }
const facts = (over: Partial<UpdateFacts>): UpdateFacts => ({
  isPackaged: true,
  platform: 'win32',
  manifest: signed,
  env: {},
  ...over,
})

describe('updateGate', () => {
  it('is on for a packaged, signed build on Windows and macOS', () => {
    expect(updateGate(facts({}))).toEqual({ enabled: true })
    expect(updateGate(facts({ platform: 'darwin' }))).toEqual({ enabled: true })
    // The flag as electron-builder's command line may deliver it.
    expect(updateGate(facts({ manifest: { [SIGNED_BUILD_FIELD]: 'true' } }))).toEqual({ enabled: true })
  })

  it('is off in development, even with the flag', () => {
    expect(updateGate(facts({ isPackaged: false }))).toEqual({ enabled: false, reason: 'development' })
  })

  it('is off for an unsigned build', () => {
    for (const manifest of [{}, { [SIGNED_BUILD_FIELD]: false }, { [SIGNED_BUILD_FIELD]: 'yes' }, undefined, null, 'x']) {
      expect(updateGate(facts({ manifest }))).toEqual({ enabled: false, reason: 'unsigned' })
    }
  })

  it('is off on Linux', () => {
    expect(updateGate(facts({ platform: 'linux' }))).toEqual({ enabled: false, reason: 'platform' })
  })

  it(`is off when ${NO_UPDATES_ENV}=1`, () => {
    expect(updateGate(facts({ env: { [NO_UPDATES_ENV]: '1' } }))).toEqual({ enabled: false, reason: 'disabled' })
    expect(updateGate(facts({ env: { [NO_UPDATES_ENV]: '0' } }))).toEqual({ enabled: true })
  })
})

describe('startAutoUpdate', () => {
  let appDir: string
  let unsignedDir: string

  beforeAll(async () => {
    // What app.getAppPath() names in a packaged app: the folder (there, the asar) holding package.json.
    appDir = await mkdtemp(join(tmpdir(), 'ccc-updater-'))
    await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'ccc-recordings', ...signed }))
    unsignedDir = await mkdtemp(join(tmpdir(), 'ccc-updater-unsigned-'))
    await writeFile(join(unsignedDir, 'package.json'), JSON.stringify({ name: 'ccc-recordings' }))
  })

  afterAll(async () => {
    await rm(appDir, { recursive: true, force: true })
    await rm(unsignedDir, { recursive: true, force: true })
  })

  function setUp(
    options: { isPackaged?: boolean; dir?: string; locale?: string; systemLanguages?: string[]; language?: Language; answer?: number } = {},
  ) {
    const updater = new StandInUpdater()
    const lines: string[] = []
    const asked: MessageBoxOptions[] = []
    let loads = 0
    const deps = {
      app: {
        isPackaged: options.isPackaged ?? true,
        getAppPath: () => options.dir ?? appDir,
        getLocale: () => options.locale ?? 'en-US',
        getPreferredSystemLanguages: () => options.systemLanguages ?? [],
      },
      ask: async (o: MessageBoxOptions) => {
        asked.push(o)
        return { response: options.answer ?? 2 }
      },
      log: { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) },
      loadUpdater: async () => {
        loads++
        return updater
      },
      platform: 'win32' as const,
      language: () => options.language ?? 'system',
      env: {},
    }
    return { updater, lines, asked, deps, loads: () => loads }
  }

  it('does not even load electron-updater in development', async () => {
    const t = setUp({ isPackaged: false })
    await expect(startAutoUpdate(t.deps)).resolves.toEqual({ enabled: false, reason: 'development' })
    expect(t.loads()).toBe(0)
    expect(t.lines).toEqual(['info updates: off (development)'])
  })

  it("reads the packed package.json: without the workflow's flag, no update check", async () => {
    const t = setUp({ dir: unsignedDir })
    await expect(startAutoUpdate(t.deps)).resolves.toEqual({ enabled: false, reason: 'unsigned' })
    expect(t.loads()).toBe(0)
  })

  it('checks once at start, downloads in the background, installs nothing by itself', async () => {
    const t = setUp()
    await expect(startAutoUpdate(t.deps)).resolves.toEqual({ enabled: true })
    expect(t.updater.checks).toBe(1)
    expect(t.updater.autoDownload).toBe(true)
    expect(t.updater.autoInstallOnAppQuit).toBe(false)
    expect(t.asked).toEqual([])
  })

  it('offers a downloaded version once, in the system language while Settings says "system"', async () => {
    const t = setUp({ locale: 'zh-CN' })
    await startAutoUpdate(t.deps)
    t.updater.emit('update-downloaded', { version: '0.2.0' })
    t.updater.emit('update-downloaded', { version: '0.2.0' })
    await vi.waitFor(() => expect(t.asked).toHaveLength(1))
    expect(t.asked[0]?.message).toContain('0.2.0')
    expect(t.asked[0]?.buttons).toEqual(['重启并安装', '退出时安装', '以后再说'])
  })

  it('asks in the language picked in Settings, not the OS one', async () => {
    // English picked on a Chinese Windows (its display language, as Electron reports it).
    const en = setUp({ locale: 'zh-CN', systemLanguages: ['zh-Hans-CN'], language: 'en' })
    await startAutoUpdate(en.deps)
    en.updater.emit('update-downloaded', { version: '0.2.0' })
    await vi.waitFor(() => expect(en.asked).toHaveLength(1))
    expect(en.asked[0]?.buttons).toEqual(['Restart and install', 'Install when I quit', 'Not now'])

    const zh = setUp({ locale: 'en-US', systemLanguages: ['en-US'], language: 'zh-CN' })
    await startAutoUpdate(zh.deps)
    zh.updater.emit('update-downloaded', { version: '0.2.0' })
    await vi.waitFor(() => expect(zh.asked).toHaveLength(1))
    expect(zh.asked[0]).toMatchObject({ title: '更新已就绪', buttons: ['重启并安装', '退出时安装', '以后再说'] })
  })

  it('reads the choice when the update is ready, so a change made since start counts', async () => {
    let language: Language = 'en'
    const t = setUp({ systemLanguages: ['en-US'] })
    await startAutoUpdate({ ...t.deps, language: () => language })
    language = 'zh-CN'
    t.updater.emit('update-downloaded', { version: '0.2.0' })
    await vi.waitFor(() => expect(t.asked).toHaveLength(1))
    expect(t.asked[0]?.title).toBe('更新已就绪')
  })

  it('"Restart and install" installs silently and relaunches', async () => {
    const t = setUp({ answer: 0 })
    await expect(offerInstall(t.updater, '0.2.0', { ask: t.deps.ask, language: 'system', systemLocale: 'en-US' })).resolves.toBe('restart')
    expect(t.asked[0]?.buttons).toEqual(['Restart and install', 'Install when I quit', 'Not now'])
    // Escape and the window's close button mean "Not now".
    expect(t.asked[0]?.cancelId).toBe(2)
    expect(t.updater.installs).toEqual([[true, true]])
  })

  it('"Install when I quit" leaves it to the quit; "Not now" installs nothing', async () => {
    const later = setUp({ answer: 1 })
    later.updater.autoInstallOnAppQuit = false
    await expect(offerInstall(later.updater, '0.2.0', { ask: later.deps.ask, language: 'en', systemLocale: 'zh-CN' })).resolves.toBe('on-quit')
    expect(later.updater.installs).toEqual([])
    expect(later.updater.autoInstallOnAppQuit).toBe(true)

    const no = setUp({ answer: 2 })
    no.updater.autoInstallOnAppQuit = false
    await expect(offerInstall(no.updater, '0.2.0', { ask: no.deps.ask, language: 'en', systemLocale: 'zh-CN' })).resolves.toBe('not-now')
    expect(no.updater.installs).toEqual([])
    expect(no.updater.autoInstallOnAppQuit).toBe(false)
  })

  it('logs failures without signed URLs, and never throws', async () => {
    const t = setUp()
    t.updater.failCheck = new Error('net::ERR_CONNECTION_REFUSED')
    await expect(startAutoUpdate(t.deps)).resolves.toEqual({ enabled: true })
    t.updater.emit(
      'error',
      new Error(
        'Cannot download "https://objects.githubusercontent.com/x/setup.exe?X-Amz-Credential=AKIA&X-Amz-Signature=abc123", status 403',
      ),
    )
    t.updater.logger?.info('Downloading update from https://example.com/a.exe?token=secret-value')
    const all = t.lines.join('\n')
    expect(all).toContain('ERR_CONNECTION_REFUSED')
    expect(all).toContain('status 403')
    expect(all).not.toMatch(/abc123|AKIA|secret-value/)
    expect(t.asked).toEqual([])
  })

  it('carries on when electron-updater is missing', async () => {
    const t = setUp()
    const deps = { ...t.deps, loadUpdater: () => Promise.reject(new Error("Cannot find package 'electron-updater'")) }
    await expect(startAutoUpdate(deps)).resolves.toEqual({ enabled: true })
    expect(t.lines.at(-1)).toMatch(/^warn updates: electron-updater could not be loaded/)
  })
})
