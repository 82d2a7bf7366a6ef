import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuilderConfig, configPath, loadConfig, root, validateConfig } from './builder-internals.ts'

let text: string
let config: BuilderConfig
let work: string

beforeAll(async () => {
  text = await readFile(configPath, 'utf8')
  config = await loadConfig(configPath)
  work = await mkdtemp(join(tmpdir(), 'ccc-builder-config-'))
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function validateCopy(edit: (yml: string) => string): Promise<void> {
  const edited = edit(text)
  // An edit that matched nothing would "prove" nothing.
  expect(edited).not.toBe(text)
  const file = join(work, `copy-${Math.random().toString(36).slice(2)}.yml`)
  await writeFile(file, edited)
  await validateConfig(await loadConfig(file))
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfig(config)).resolves.toBeUndefined()
  })

  it.each([
    ['an unknown top-level key', (s: string) => s.replace('electronFuses:', 'electronFuse:')],
    ['a misspelt fuse', (s: string) => s.replace('runAsNode: false', 'runAsNod: false')],
    ['a misspelt installer option', (s: string) => s.replace('perMachine: false', 'perMachin: false')],
    ['a value of the wrong type', (s: string) => s.replace('asar: true', 'asar: yes-please')],
  ])('the same validation rejects a copy with %s', async (_, edit) => {
    await expect(validateCopy(edit)).rejects.toThrow(/does not match the API schema/)
  })

  it('asks for what the issue asks for', () => {
    expect(config).toMatchObject({
      asar: true,
      npmRebuild: false,
      electronFuses: {
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      },
      win: { target: [{ target: 'nsis', arch: ['x64', 'arm64'] }] },
      nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, createStartMenuShortcut: true },
      mac: {
        target: [
          { target: 'dmg', arch: ['x64', 'arm64'] },
          { target: 'zip', arch: ['x64', 'arm64'] },
        ],
        hardenedRuntime: true,
      },
      linux: { target: [{ target: 'AppImage' }, { target: 'deb' }] },
      publish: { provider: 'github' },
    })
  })

  it('names files that exist', () => {
    const mac = config.mac as Record<string, string>
    const win = config.win as Record<string, string>
    const linux = config.linux as Record<string, string>
    for (const file of [mac.entitlements, mac.entitlementsInherit, mac.icon, win.icon, linux.icon]) {
      expect(file && existsSync(join(root, file)), file).toBe(true)
    }
  })
})
