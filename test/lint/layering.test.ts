// The lint config is only worth having if it says no: each case lints a virtual file placed in a layer
// through ESLint's own API with the repo's eslint.config.js, so the folder globs are tested too.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') })

async function rulesHit(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`)
}

const svelte = (imports: string) => `<script lang="ts">\n${imports}\n</script>\n<p>{x}</p>\n`

const REJECTED: [file: string, code: string][] = [
  ['main/common/a.ts', "import '../../engine/x.ts'"],
  ['main/common/a.ts', "import { x } from '../engine/x.ts'"],
  ['main/common/deep/a.ts', "import { x } from '../../engine/x.ts'"],
  ['main/common/a.ts', "import type { X } from '../electron/x.ts'"],
  ['main/common/a.ts', "export * from '../cli/x.ts'"],
  ['main/common/a.ts', "export { x } from '../../renderer/x.ts'"],
  ['main/common/a.ts', "const m = await import('../engine/x.ts')"],
  ['main/common/a.ts', "type T = typeof import('../engine/x.ts')"],
  ['main/common/a.ts', "import { readFile } from 'node:fs/promises'"],
  ['main/common/a.ts', "import path from 'path'"],
  ['main/common/a.ts', "import { app } from 'electron'"],
  ['main/common/a.ts', "import { x } from '../../test/x.ts'"],
  ['main/engine/a.ts', "import 'electron'"],
  ['main/engine/a.ts', "import type { App } from 'electron'"],
  ['main/engine/a.ts', "import { ipcMain } from 'electron/main'"],
  ['main/engine/export/a.ts', "import { x } from '../../electron/x.ts'"],
  ['main/engine/a.ts', "import { x } from '../cli/x.ts'"],
  ['main/engine/a.ts', "import { x } from '../preload/x.ts'"],
  ['main/engine/a.ts', "import { x } from '../../renderer/x.ts'"],
  ['main/cli/a.ts', "import { app } from 'electron'"],
  ['main/cli/a.ts', "import { x } from '../electron/handlers.ts'"],
  ['main/cli/a.ts', "import { x } from '../preload/x.ts'"],
  ['main/cli/a.ts', "import { x } from '../../renderer/x.ts'"],
  ['renderer/a.ts', "import '../main/engine/x.ts'"],
  ['renderer/state/a.svelte.ts', "import { x } from '../../main/electron/x.ts'"],
  ['renderer/lib/a.ts', "import { x } from '../../main/cli/x.ts'"],
  ['renderer/a.ts', "import { x } from '../main/preload/x.ts'"],
  ['renderer/a.ts', "import path from 'node:path'"],
  ['renderer/a.ts', "import { ipcRenderer } from 'electron'"],
  ['renderer/components/A.svelte', svelte("import { x } from '../../main/engine/x.ts'")],
  ['main/preload/a.ts', "import { x } from '../engine/x.ts'"],
  ['main/preload/a.ts', "import { readFile } from 'node:fs'"],
  ['main/preload/a.ts', "import { z } from 'zod'"],
]

const ALLOWED: [file: string, code: string][] = [
  ['main/common/a.ts', "import { x } from './b.ts'\nimport { z } from 'zod'"],
  ['main/common/deep/a.ts', "import { x } from '../b.ts'"],
  ['main/engine/a.ts', "import { x } from '../common/x.ts'\nimport { y } from './y.ts'\nimport fs from 'node:fs'"],
  ['main/engine/export/a.ts', "import { x } from '../../common/x.ts'\nimport { c } from '../clock.ts'"],
  ['main/engine/a.ts', "type K = typeof import('@napi-rs/keyring')\nconst u = await import('undici')"],
  ['main/cli/a.ts', "import { x } from '../engine/x.ts'\nimport { y } from '../common/y.ts'\nimport path from 'node:path'"],
  ['main/electron/a.ts', "import { app } from 'electron'\nimport { x } from '../engine/x.ts'\nimport { y } from '../common/y.ts'"],
  ['main/preload/a.ts', "import { contextBridge } from 'electron'\nimport type { A } from '../common/api.ts'\nimport { c } from './c.ts'"],
  ['renderer/a.ts', "import type { A } from '../main/common/api.ts'\nimport { mount } from 'svelte'\nimport { v } from './lib/v.ts'"],
  ['renderer/state/a.svelte.ts', "import { f } from '../../main/common/format.ts'\nexport const s = $state(0)"],
  ['renderer/components/A.svelte', svelte("import { t } from '../i18n/translate.ts'\nimport { f } from '../../main/common/f.ts'")],
  ['renderer/vite.config.ts', "import { fileURLToPath } from 'node:url'"],
]

describe('layering', () => {
  it.each(REJECTED)('rejects %s: %s', async (file, code) => {
    expect(await rulesHit(file, code)).toEqual(['local/layering'])
  })

  it.each(ALLOWED)('allows %s: %s', async (file, code) => {
    expect(await rulesHit(file, code)).toEqual([])
  })
})

describe('size limits', () => {
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i}`).join('\n')

  // The count includes the lines holding the signature and the closing brace.
  it('rejects a function over 60 lines and a file over 300, not counting blanks and comments', async () => {
    const fn = `export function f() {\n${body(58)}\n}\n`
    expect(await rulesHit('main/engine/a.ts', fn)).toEqual([])
    expect(await rulesHit('main/engine/a.ts', fn.replace('{\n', '{\n  const extra = 1\n'))).toEqual(['max-lines-per-function'])
    const padded = `export function f() {\n${body(58).replaceAll('\n', '\n\n  // why\n')}\n}\n`
    expect(await rulesHit('main/engine/a.ts', padded)).toEqual([])
    const file = Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i}`).join('\n')
    expect(await rulesHit('renderer/lib/a.ts', file)).toEqual(['max-lines'])
  })

  it('lets a file opt out only with a reason', async () => {
    const file = Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i}`).join('\n')
    expect(await rulesHit('main/cli/a.ts', `/* eslint-disable max-lines -- one table of codes */\n${file}`)).toEqual([])
    expect(await rulesHit('main/cli/a.ts', `/* eslint-disable max-lines */\n${file}`)).toEqual(['local/disable-reason'])
  })
})
