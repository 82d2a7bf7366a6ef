import { appendFile, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { FolderLock } from '../../main/engine/export/folder-lock.ts'
import { journalPath, replayJournal } from '../../main/engine/export/journal.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { killGroup, runCli, spawnCli } from './run-cli.ts'

let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'verify-kill-'))
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

async function donePaths(out: string): Promise<string[]> {
  const table = new ExportTable()
  await replayJournal(out, (e) => table.apply(e))
  return [...table.files].filter(([, e]) => e.state === 'done').map(([n, e]) => e.path ?? n)
}

const manifestPaths = async (out: string): Promise<string[]> =>
  (await readFile(join(out, 'manifest.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { localPath: string }).localPath)

// The manifest is rewritten when an export pauses or ends. Files downloaded after that by a run
// that was then killed are in the folder and the journal, not the manifest: verify must check
// them against the journal rather than call them unexpected (or pass them unchecked).
it('checks what a killed run downloaded after the manifest against the journal, and names one altered', async () => {
  const names = Array.from({ length: 20 }, (_, i) => `vk-${i}.wav`)
  for (const name of names) sim.setSize(name, 32 * 1024)
  const out = join(work, 'out')
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  const download = (list: string) => ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '2']

  const first = join(work, 'first.txt')
  await writeFile(first, `${names.slice(0, 5).join('\n')}\n`)
  const done = await runCli(download(first), env)
  expect(done.code, done.stderr).toBe(0)
  expect(await manifestPaths(out)).toHaveLength(5)

  const second = join(work, 'second.txt')
  await writeFile(second, `${names.join('\n')}\n`)
  for (const name of names.slice(5)) sim.fault(name, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
  const { child, done: killed } = spawnCli(download(second), env)
  let bodies = 0
  const onBody = () => ++bodies === 10 && killGroup(child, 'SIGKILL')
  sim.events.on('body', onBody)
  expect((await killed).signal).toBe('SIGKILL')
  sim.events.off('body', onBody)
  const journalled = await donePaths(out)
  const since = journalled.filter((p) => !names.slice(0, 5).includes(p))
  expect(since.length).toBeGreaterThan(0)
  expect(await manifestPaths(out)).toHaveLength(5)
  // Renamed into place in the moment before the kill, not journalled yet: the export's own, unrecorded.
  const onDisk = (await readdir(out)).filter((f) => f.endsWith('.wav'))
  const unrecorded = onDisk.filter((f) => !journalled.includes(f))
  // One more, for certain: a file where the export puts a name it has not finished.
  const waiting = names.find((n) => !onDisk.includes(n))!
  await writeFile(join(out, waiting), sim.content(waiting))
  unrecorded.push(waiting)

  const verified = await runCli(['verify', out, '--json'], env)
  expect(verified.code, verified.stdout + verified.stderr).toBe(3)
  expect(JSON.parse(verified.stdout)).toMatchObject({ ok: false, files: journalled.length, matched: journalled.length, sinceManifest: since.length, unexpected: 0, unrecorded: unrecorded.length })
  const text = await runCli(['verify', out], env)
  expect(text.stdout).toContain(`unrecorded  ${waiting} (the export stopped before recording it as verified: resume checks it)`)
  // What it had still to download is said, so "all match" is never read as a complete archive.
  expect(text.stdout).toMatch(/^The export is not finished: \d+ recordings? (is|are) still to download, which verify cannot check yet \(ccc-recordings resume .+ continues it\)\.$/m)
  const filesWere = since.length === 1 ? '1 file was' : `${since.length} files were`
  expect(text.stdout).toContain(`${filesWere} downloaded after manifest.jsonl was last written (the export stopped before it could rewrite it)`)
  // The same folder while a process holds it, its journal saying running: nothing stopped it.
  const journalFile = journalPath(out)
  const lock = await FolderLock.acquire(out)
  try {
    const live = await runCli(['verify', out], env)
    expect(live.stdout).toContain(`unrecorded  ${waiting} (the running export has not recorded it as verified yet)`)
    // In flight, not a problem of the folder: the check passes, and its record does not keep them.
    expect(live.code, live.stdout).toBe(0)
    expect(live.stdout).toContain(`: all match; ${unrecorded.length} being written by the running export, checked when it records them.`)
    expect(JSON.parse(await readFile(join(out, '.ccc-recordings', 'verified.json'), 'utf8'))).not.toHaveProperty('unrecorded')
    expect(live.stdout).toContain(`${filesWere} downloaded after manifest.jsonl was last written and checked against the export's journal: the export is running, and writes its manifest when it ends.`)
    expect(live.stdout).not.toContain('stopped')
    expect(live.stdout).not.toContain('The export is not finished')
    // Held but not run (the app showing the export it reopened after the crash): it did stop.
    await appendFile(journalFile, `${JSON.stringify({ type: 'state', state: 'paused', at: new Date().toISOString(), interrupted: true })}\n`)
    const idle = await runCli(['verify', out], env)
    expect(idle.stdout).toContain(`unrecorded  ${waiting} (the export stopped before recording it as verified: resume checks it)`)
    expect(idle.stdout).toContain('(the export stopped before it could rewrite it)')
  } finally {
    await lock.release()
  }
  await unlink(join(out, waiting))

  const altered = since[0]!
  const bytes = await readFile(join(out, altered))
  bytes[100] = bytes[100]! ^ 1
  await writeFile(join(out, altered), bytes)
  const bad = await runCli(['verify', out], env)
  expect(bad.code).toBe(3)
  expect(bad.stdout).toContain(`changed     ${altered} (SHA-256 differs)`)
  await writeFile(join(out, altered), sim.content(altered))

  // The resume rewrites the manifest: nothing is left to check against the journal alone.
  const resumed = await runCli(['resume', out], env)
  expect(resumed.code, resumed.stderr).toBe(0)
  const after = await runCli(['verify', out, '--json'], env)
  expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, files: names.length, sinceManifest: 0 })
}, 60_000)

it('verifies an export killed before it ever wrote a manifest, from its journal alone', async () => {
  const names = Array.from({ length: 8 }, (_, i) => `vn-${i}.wav`)
  for (const name of names) {
    sim.setSize(name, 32 * 1024)
    sim.fault(name, { kind: 'slow', bytesPerSecond: 128 * 1024, times: 1 })
  }
  const out = join(work, 'out-none')
  const list = join(work, 'none.txt')
  await writeFile(list, `${names.join('\n')}\n`)
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  const { child, done: killed } = spawnCli(['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '2'], env)
  let bodies = 0
  const onBody = () => ++bodies === 5 && killGroup(child, 'SIGKILL')
  sim.events.on('body', onBody)
  expect((await killed).signal).toBe('SIGKILL')
  sim.events.off('body', onBody)
  const journalled = await donePaths(out)
  expect(journalled.length).toBeGreaterThan(0)

  // Files renamed into place in the moment before the kill are not journalled yet: set them aside.
  for (const f of (await readdir(out)).filter((f) => f.endsWith('.wav') && !journalled.includes(f))) await unlink(join(out, f))

  const verified = await runCli(['verify', out], env)
  expect(verified.code, verified.stdout + verified.stderr).toBe(0)
  const files = journalled.length === 1 ? '1 file' : `${journalled.length} files`
  expect(verified.stdout).toContain(`Verified ${files} (`)
  expect(verified.stdout).toContain("against the export's journal: all match.")
  // There never was a manifest: no "after it was last written".
  expect(verified.stdout).toContain(`${journalled.length === 1 ? '1 file was' : `${files} were`} downloaded before the export wrote its first manifest.jsonl`)
  expect(verified.stdout).not.toContain('last written')
}, 60_000)
