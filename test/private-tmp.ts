import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * One temp folder for the whole run, set as TMPDIR before the test forks start, and removed when
 * they are done: what a test, a child CLI or Chromium leaves behind goes with it. Before this, each
 * run left its renderer builds and fixtures in /tmp (hundreds of folders after a day of runs).
 * Vitest runs this setup once per project, each in a module of its own: the count lives on
 * globalThis, so the first setup makes the folder and the last teardown removes it.
 */
const shared = globalThis as { cccTestTmp?: { dir: string; users: number } }

export default function setup(): () => void {
  shared.cccTestTmp ??= { dir: mkdtempSync(join(tmpdir(), 'ccc-test-run-')), users: 0 }
  const run = shared.cccTestTmp
  run.users++
  process.env.TMPDIR = run.dir
  return () => {
    if (--run.users > 0) return
    rmSync(run.dir, { recursive: true, force: true })
    delete shared.cccTestTmp
  }
}
