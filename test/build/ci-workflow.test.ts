/**
 * The CI workflow runs only on GitHub's runners; what can drift silently is checked here: where it
 * runs, in which order, which skips it forbids, and that the packed app it boots is where
 * electron-builder.yml puts it. (actionlint runs on it in release-workflow.test.ts.)
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { root, yaml } from './builder-internals.ts'

interface Step {
  readonly name?: string
  readonly uses?: string
  readonly run?: string
  readonly if?: string
  readonly env?: Record<string, string>
  readonly with?: Record<string, unknown>
}
interface Job {
  readonly 'runs-on': string
  readonly container?: { image: string; options?: string }
  readonly env?: Record<string, string>
  readonly steps: Step[]
  readonly strategy?: { matrix: { include: Record<string, string>[] } }
}
interface Workflow {
  readonly on: Record<string, { branches?: string[] } | null>
  readonly permissions: Record<string, string>
  readonly concurrency: { group: string; 'cancel-in-progress': boolean }
  readonly jobs: Record<string, Job>
}

let ci: Workflow
let builder: { productName: string; linux: { executableName: string } }
let pkg: { scripts: Record<string, string> }

beforeAll(async () => {
  ci = yaml.load(await readFile(join(root, '.github/workflows/ci.yml'), 'utf8')) as Workflow
  builder = yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as typeof builder
  pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as typeof pkg
})

const jobs = () => [ci.jobs.linux!, ci.jobs.desktop!]
const at = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match)

describe('the CI workflow', () => {
  it('runs on pushes, pull requests and for the release, read-only, cancelling superseded runs', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call', 'workflow_dispatch'])
    expect(ci.permissions).toEqual({ contents: 'read' })
    expect(ci.concurrency['cancel-in-progress']).toBe(true)
    expect(ci.concurrency.group).toContain('github.ref')
  })

  it('tests Linux in Debian through .ci/run, and Windows and macOS with npm', () => {
    expect(ci.jobs.linux?.container?.image).toMatch(/^node:20-bookworm/)
    expect(ci.jobs.linux?.steps.some((s) => s.run === 'bash .ci/run')).toBe(true)
    expect(ci.jobs.desktop?.strategy?.matrix.include.map((m) => m.os)).toEqual(['windows-latest', 'macos-latest'])
    for (const run of ['npm ci --no-audit --no-fund', 'npm run lint', 'npm test']) expect(at(ci.jobs.desktop!, (s) => s.run === run), run).toBeGreaterThanOrEqual(0)
  })

  it('fails where a browser, keyring or root test would skip on a runner that has them', () => {
    expect(ci.jobs.linux?.env?.CCC_REQUIRE).toBe('browser,keyring,root')
    expect(ci.jobs.linux?.container?.options).toContain('--privileged')
    expect(ci.jobs.desktop?.env?.CCC_REQUIRE).toBe('browser')
  })

  it('caches npm with Node 20', () => {
    for (const job of jobs()) {
      const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
      expect(node?.with).toEqual({ 'node-version': 20, cache: 'npm' })
    }
  })

  it('tests, then builds, packs with --inspect on for Playwright, and boots the packed app', () => {
    for (const job of jobs()) {
      const tests = at(job, (s) => s.run === 'npm test' || s.run === 'bash .ci/run')
      const bundle = at(job, (s) => s.run === 'npm run build')
      const pack = at(job, (s) => s.run?.startsWith('npx electron-builder') === true)
      const smoke = at(job, (s) => s.run?.includes('npm run test:shell') === true)
      expect([tests, bundle, pack, smoke].every((i) => i >= 0)).toBe(true)
      expect(tests < bundle && bundle < pack && pack < smoke).toBe(true)
      expect(job.steps[pack]?.run).toContain('-c.electronFuses.enableNodeCliInspectArguments=true')
      expect(job.steps[pack]?.run).toContain('--publish never')
      expect(job.steps[smoke]?.run).toContain('CCC_SHELL_APP=')
    }
    expect(ci.jobs.linux?.steps.find((s) => s.run?.includes('test:shell'))?.run).toMatch(/xvfb-run -a npm run test:shell$/)
    expect(pkg.scripts['test:shell']).toBe('sh scripts/with-test-keyring.sh vitest run test/shell')
  })

  it("points the smoke test at the executable electron-builder writes on each system", () => {
    const linux = ci.jobs.linux?.steps.find((s) => s.run?.includes('CCC_SHELL_APP='))?.run ?? ''
    expect(linux).toContain(`release/linux-unpacked/${builder.linux.executableName}"`)
    const apps = Object.fromEntries((ci.jobs.desktop?.strategy?.matrix.include ?? []).map((m) => [m.name, m.app]))
    expect(apps.Windows).toBe(`release/win-unpacked/${builder.productName}.exe`)
    expect(apps.macOS).toBe(`release/mac-arm64/${builder.productName}.app/Contents/MacOS/${builder.productName}`)
    expect(ci.jobs.desktop?.strategy?.matrix.include.find((m) => m.name === 'macOS')?.pack).toContain('--arm64')
  })

  it('keeps the screenshots of every run, failed ones too', () => {
    for (const job of jobs()) {
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
      expect(upload?.if).toBe('always()')
      expect(upload?.with?.path).toBe('test-output/shell/')
    }
  })
})
