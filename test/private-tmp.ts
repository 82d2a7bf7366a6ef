import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * One temp folder for the whole run, set as the temp folder (TMPDIR; TEMP and TMP for Windows)
 * before the test forks start, and removed when they are done: what a test, Chromium or a child
 * given the environment leaves behind goes with it. Before this, each run left its renderer builds
 * and fixtures in /tmp (hundreds of folders after a day of runs). Vitest runs this setup once per
 * project, each in a module of its own: the count lives on globalThis, so the first setup makes
 * the folder and the last teardown removes it and puts the old values back.
 */
const VARS = ['TMPDIR', 'TEMP', 'TMP'] as const
const shared = globalThis as { cccTestTmp?: { dir: string; users: number; before: Record<string, string | undefined> } }

export default function setup(): () => void {
  shared.cccTestTmp ??= {
    dir: mkdtempSync(join(tmpdir(), 'ccc-test-run-')),
    users: 0,
    before: Object.fromEntries(VARS.map((v) => [v, process.env[v]])),
  }
  const run = shared.cccTestTmp
  run.users++
  for (const v of VARS) process.env[v] = run.dir
  return () => {
    if (--run.users > 0) return
    delete shared.cccTestTmp
    for (const v of VARS) {
      if (run.before[v] === undefined) delete process.env[v]
      else process.env[v] = run.before[v]
    }
    try {
      rmSync(run.dir, { recursive: true, force: true, maxRetries: 3 })
    } catch (e) {
      // A tmpfs a crashed test left mounted, say: the run's verdict is the tests', not this tidy-up's.
      console.warn(`could not remove the test run's temp folder ${run.dir}: ${(e as Error).message}`)
    }
  }
}
