/**
 * electron-builder's own pieces, reached the way electron-builder itself reaches them (resolved from
 * its folder, so npm's hoisting does not matter), with just the types these tests use.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../', import.meta.url))
export const configPath = `${root}electron-builder.yml`

const fromProject = createRequire(`${root}package.json`)
const builderManifest = fromProject.resolve('electron-builder/package.json')
const fromBuilder = createRequire(builderManifest)
const libManifest = fromBuilder.resolve('app-builder-lib/package.json')
const fromLib = createRequire(libManifest)

export const electronBuilderCli = builderManifest.replace(/package\.json$/, 'cli.js')

export type BuilderConfig = Record<string, unknown>

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: BuilderConfig | null): Promise<BuilderConfig>
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>
}
const configModule = fromLib(libManifest.replace(/package\.json$/, 'out/util/config/config.js')) as ConfigModule
const { DebugLogger } = fromLib('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

/** Reads a config file the way the CLI does (extends, package.json metadata) without validating it. */
export function loadConfig(file: string): Promise<BuilderConfig> {
  return configModule.getConfig(root, file, null)
}

/** The schema check electron-builder runs before it builds anything; throws on an unknown key. */
export function validateConfig(config: BuilderConfig): Promise<void> {
  return configModule.validateConfiguration(config, new DebugLogger(false))
}

export interface IconResult {
  readonly icons: readonly { readonly file: string; readonly size: number }[]
  readonly isFallback: boolean
}
interface IconModule {
  convertIcon(options: {
    sources: string[]
    fallbackSources: string[]
    roots: string[]
    format: 'icns' | 'ico' | 'set'
    outDir: string
  }): Promise<IconResult>
}
export const { convertIcon } = fromLib(libManifest.replace(/package\.json$/, 'out/util/iconConverter.js')) as IconModule

export const asar = fromLib('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[]
  extractFile(archive: string, filename: string): Buffer
}

export const fuses = fromLib('@electron/fuses') as {
  getCurrentFuseWire(pathToElectron: string): Promise<Record<string, unknown>>
  FuseV1Options: Record<string, number>
}
export const { SENTINEL } = fromLib(
  fromLib.resolve('@electron/fuses').replace(/index\.js$/, 'constants.js'),
) as { SENTINEL: string }

export const yaml = fromLib('js-yaml') as { load(text: string): unknown }

export interface RunResult {
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to completion; a failure carries its output, so the test report shows why. */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd ?? root, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`))
        else resolve({ stdout, stderr })
      },
    )
  })
}
