import { rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../main/cli/ccc-recordings.ts'
import { repairNote, unfinishedNote, verifySummary } from '../../main/cli/verify-command.ts'
import type { CliIo } from '../../main/cli/io.ts'
import { Terminal } from '../../main/cli/terminal.ts'
import { makeFolder, put, recordingBytes, tempDir } from '../engine/calls/manifest-fixture.ts'
import { runCli } from './run-cli.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const folder = async (n: number) => {
  const d = await makeFolder(n)
  dirs.push(d)
  return d
}

/** The command in-process, its output through the real Terminal (made safe, a status line on a TTY). */
function memoryIo(tty = false): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const terminal = new Terminal({ write: (t: string) => (out += t), isTTY: tty }, { write: (t: string) => (err += t), isTTY: tty, columns: 100 })
  return {
    env: {},
    cwd: process.cwd(),
    stdout: terminal.stdout,
    stderr: terminal.stderr,
    stdin: Readable.from([]) as unknown as CliIo['stdin'],
    onInterrupt: () => () => {},
    out: () => out,
    err: () => err,
  }
}

describe('ccc-recordings verify', () => {
  it('exits 0 when every file matches, with progress on a terminal', async () => {
    const out = await folder(12)
    const io = memoryIo(true)
    expect(await main(['verify', out], io)).toBe(0)
    expect(io.out()).toMatch(/^Verified 12 files \(.+\) in .+ against manifest\.jsonl: all match\.\n$/)
    expect(io.err()).toMatch(/Verifying: \d+ files, .+ checked/)
  })

  it('names each changed, missing and unexpected file and exits 3', async () => {
    const out = await folder(10)
    const altered = recordingBytes(2)
    altered[20] = altered[20]! ^ 0x80
    await writeFile(join(out, '2026-03/agent-2/rec-2.wav'), altered)
    await unlink(join(out, '2026-03/agent-4/rec-4.wav'))
    // A hostile name (where the file system allows one): its escape sequence and line feed are shown, not run.
    const windows = process.platform === 'win32'
    await put(out, windows ? 'extra.wav' : 'extra\u001b[2J\nforged.wav', 'x')
    const io = memoryIo()
    expect(await main(['verify', out], io)).toBe(3)
    const text = io.out()
    expect(text).toContain('changed     2026-03/agent-2/rec-2.wav (SHA-256 differs)\n')
    expect(text).toContain('missing     2026-03/agent-4/rec-4.wav\n')
    expect(text).toContain(windows ? 'unexpected  extra.wav\n' : 'unexpected  extra\\u001b[2J\\u000aforged.wav\n')
    // Recordings and their manifest alone, as a copy of an archive is: no export to resume here.
    expect(text).toMatch(/: 8 match, 1 changed, 1 missing, 1 unexpected\.\nThis folder has no export journal \(a copy of an archive\?\), so resume has nothing to continue: run the same download .+\n$/)
    expect(text).not.toContain('\u001b')
  })

  it('says how to get CCC\'s copy back: resume for a missing file, a changed one moved aside first; nothing beside a running export', () => {
    expect(repairNote({ missing: 2, changed: 0, journal: true }, 'D:/rec')).toBe('To download the missing files again: ccc-recordings resume D:/rec')
    expect(repairNote({ missing: 0, changed: 1, journal: true }, "my rec's")).toBe(
      "To download CCC's copy of a changed file again, move it aside or delete it (copy it elsewhere first if it may be evidence: resume downloads over a changed file of another size), then: ccc-recordings resume \"my rec's\"",
    )
    expect(repairNote({ missing: 1, changed: 1, exportRunning: true, journal: true }, 'out')).toBeUndefined()
    expect(repairNote({ missing: 0, changed: 0, journal: true }, 'out')).toBeUndefined()
    // A copy of an archive without its .ccc-recordings: there is no export to resume.
    expect(repairNote({ missing: 1, changed: 0, journal: false }, 'copy')).toBe(
      'This folder has no export journal (a copy of an archive?), so resume has nothing to continue: run the same download (its list, contact IDs or range) into copy; the files that are there and match are taken, not downloaded again',
    )
  })

  it('prints one JSON object with --json', async () => {
    const out = await folder(3)
    await unlink(join(out, '2026-03/agent-1/rec-1.wav'))
    const io = memoryIo()
    expect(await main(['verify', out, '--json'], io)).toBe(3)
    const result = JSON.parse(io.out()) as Record<string, unknown>
    expect(result).toMatchObject({ ok: false, files: 3, missing: 1, changed: 0, unexpected: 0, problems: [{ kind: 'missing', path: '2026-03/agent-1/rec-1.wav' }] })
  })

  it('exits 2 naming a folder without a manifest', async () => {
    const out = await tempDir()
    dirs.push(out)
    const io = memoryIo()
    expect(await main(['verify', out], io)).toBe(2)
    expect(io.err()).toContain(`${out}: no manifest.jsonl and no export journal here`)
    expect(await main(['verify'], io)).toBe(2)
  })

  it('gives the exit code to a script through the real bin', async () => {
    const out = await folder(2)
    expect((await runCli(['verify', out], {})).code).toBe(0)
    await put(out, 'new.wav', 'x')
    const r = await runCli(['verify', out], {})
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('unexpected  new.wav')
  }, 60_000)
})

describe('unfinishedNote', () => {
  it('says what a stopped export has still to download or list, and nothing for a finished one', () => {
    expect(unfinishedNote({}, 'out')).toBeUndefined()
    expect(unfinishedNote({ toDo: 1 }, 'out')).toBe('The export is not finished: 1 recording is still to download, which verify cannot check yet (ccc-recordings resume out continues it).')
    expect(unfinishedNote({ listingUnfinished: true }, 'out')).toBe('The export is not finished: its listing stopped before it saw every call, which verify cannot check yet (ccc-recordings resume out continues it).')
    expect(unfinishedNote({ toDo: 1200, listingUnfinished: true }, 'my out')).toBe(
      'The export is not finished: 1,200 recordings are still to download, and its listing stopped before it saw every call, which verify cannot check yet (ccc-recordings resume "my out" continues it).',
    )
  })
})

describe('verifySummary', () => {
  it('counts one file as one file', () => {
    const one = { at: '2026-12-05T00:00:00.000Z', ok: true, files: 1, missing: 0, changed: 0, unexpected: 0, unrecorded: 0, outDir: '/x/out', bytes: 2048, matched: 1, damagedLines: 0, sizeOnly: 0, sinceManifest: 0, manifest: true, journal: true, problems: [] }
    expect(verifySummary(one)).toMatch(/^Verified 1 file \(/)
    expect(verifySummary({ ...one, files: 2, matched: 2 })).toMatch(/^Verified 2 files \(/)
  })
})
