import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import { JOURNAL_FILE, STATE_DIR } from '../../main/engine/export/journal.ts'
import type { BenchContext } from './download.ts'
import { recordingNames } from './download.ts'
import { bundled, type Measured, measure } from './measure.ts'
import { count, mb, seconds, type Row } from './report.ts'

/**
 * c and d: the two things that grow with the number of names and not with the bytes, a journal
 * replay and a list import, each in a fresh child process so its peak RSS is its own.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))

async function put(out: WriteStream, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, 'drain')
}

async function close(out: WriteStream): Promise<void> {
  out.end()
  await once(out, 'close')
}

/** What a finished million-file export leaves: header, names in batches of 1000, a `done` per file. */
async function writeJournal(dir: string, n: number): Promise<number> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  const path = join(dir, STATE_DIR, JOURNAL_FILE)
  const out = createWriteStream(path)
  const names = recordingNames(n)
  const at = new Date().toISOString()
  await put(
    out,
    `${JSON.stringify({
      type: 'export',
      version: 1,
      id: '6f1d3c2e-bench-4e4e-9d59-000000000000',
      createdAt: at,
      instanceId: '9cfad875-6260-4a53-ab6e-b13e3fb31f7d',
      region: 'cn-shanghai',
      source: { kind: 'names', file: '/data/录音清单.csv' },
      options: { concurrency: 6, layout: 'flat', maxBytesPerSecond: null },
    })}\n`,
  )
  for (let i = 0; i < n; i += 1000) await put(out, `${JSON.stringify({ type: 'add', names: names.slice(i, i + 1000) })}\n`)
  await put(out, `${JSON.stringify({ type: 'state', state: 'running', at })}\n`)
  let chunk = ''
  for (let i = 0; i < n; i++) {
    const name = names[i]!
    // A CRC-64 in decimal is up to 20 digits; any digits will do for a replay.
    const crc64 = String(BigInt.asUintN(64, BigInt(i) * 0x9e3779b97f4a7c15n))
    chunk += `${JSON.stringify({ type: 'done', name, bytes: 200_000 + (i % 600_000), path: name, attempts: 1, crc64 })}\n`
    if (chunk.length > 1 << 20) {
      await put(out, chunk)
      chunk = ''
    }
  }
  await put(out, `${chunk}${JSON.stringify({ type: 'state', state: 'finished', at })}\n`)
  await close(out)
  return (await stat(path)).size
}

/** Issue 16 item 3: a million-file export is resumed, opened or given a `status` within this. */
const RSS_TARGET_MB = 200

// On a loaded machine the wall time is mostly waiting for a CPU; the CPU time compares runs.
const cpu = (s: number | null): string => (s === null ? '' : `, ${s.toFixed(2)} s CPU`)

// The ratio only at full size: a reduced run says nothing about the target.
const rssRow = (what: string, peakMb: number | null, quick: boolean): Row => ({
  section: 'c',
  what,
  figure: peakMb === null || quick ? mb(peakMb) : `${mb(peakMb)} (${(peakMb / RSS_TARGET_MB).toFixed(2)} of the target)`,
  target: `≤ ${RSS_TARGET_MB} MB`,
  met: peakMb === null ? null : peakMb <= RSS_TARGET_MB,
})

export async function benchC(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 100_000 : 1_000_000
  const dir = join(ctx.scratch, 'c-export')
  const bytes = await writeJournal(dir, n)
  try {
    const child = await bundled(join(root, 'scripts/bench/replay-child.ts'))
    const [node, args] = [process.execPath, [child, dir]]
    // Once untimed, so the page cache holds the journal and only the replay differs between runs.
    await measure(node, args, { scratch: ctx.scratch })
    const m = await measure(node, args, { scratch: ctx.scratch })
    if (m.code !== 0) throw new Error(`replay child exited ${m.code}: ${m.stderr.trim()}`)
    const r = JSON.parse(m.stdout) as { ms: number; files: number; done: number; damaged: number }
    if (r.files !== n || r.done !== n || r.damaged !== 0) throw new Error(`replay: ${r.files} files, ${r.done} done, ${r.damaged} damaged lines`)
    ctx.log(`c  replayed ${count(n)} entries (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${seconds(r.ms)}; process ${seconds(m.wallMs)}, peak RSS ${mb(m.peakRssMb)}`)
    const s = await statusOf(ctx, dir, n)
    return [
      {
        section: 'c',
        what: `replay a journal of ${count(n)} done files (${(bytes / 2 ** 20).toFixed(0)} MiB)`,
        figure: `${seconds(r.ms)} (process ${seconds(m.wallMs)}${cpu(m.cpuSeconds)})`,
        target: '≤ 2 s',
        met: r.ms <= 2000,
      },
      rssRow('replay: peak RSS', m.peakRssMb, ctx.quick),
      { section: 'c', what: `CLI status of that export (every file missing)`, figure: `${seconds(s.wallMs)}${cpu(s.cpuSeconds)}` },
      rssRow('CLI status: peak RSS', s.peakRssMb, ctx.quick),
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `ccc-recordings status` of the export, through the CLI as a user runs it (its memory settings
 * included). The journal's files were never written, so the disk check finds every one missing
 * and requeues it: the most a status has to do.
 */
async function statusOf(ctx: BenchContext, dir: string, n: number): Promise<Measured> {
  const env = { ...process.env, CCC_RECORDINGS_CONFIG_DIR: join(ctx.scratch, 'config') }
  const args = [join(root, 'bin/ccc-recordings.js'), 'status', dir, '--json']
  // Untimed: the first run after a source change bundles the CLI.
  await measure(process.execPath, args, { scratch: ctx.scratch, env })
  const m = await measure(process.execPath, args, { scratch: ctx.scratch, env })
  if (m.code !== 0) throw new Error(`status exited ${m.code}: ${m.stderr.trim()}`)
  const status = JSON.parse(m.stdout) as { counts: { total: number; queued: number }; recheck?: { missing: number } }
  if (status.counts.total !== n || status.recheck?.missing !== n) throw new Error(`status: ${status.counts.total} files, ${status.recheck?.missing ?? 0} missing`)
  ctx.log(`c  status of ${count(n)} files (all missing) in ${seconds(m.wallMs)}, peak RSS ${mb(m.peakRssMb)}`)
  return m
}

interface CsvFlavour {
  readonly label: string
  readonly file: string
  readonly header: string
  readonly agent: (i: number) => string
  readonly encode: (text: string) => Buffer
}

const AGENTS = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄强']

/** A call-centre export: contact ID, the recording's file name, agent, start time; every 50th name repeated. */
async function writeCsv(flavour: CsvFlavour, n: number): Promise<number> {
  const out = createWriteStream(flavour.file)
  const names = recordingNames(n)
  await put(out, flavour.encode(`${flavour.header}\r\n`))
  let chunk = ''
  const start = Date.UTC(2026, 9, 1)
  for (let i = 0; i < n; i++) {
    const name = i % 50 === 49 ? names[i - 1]! : names[i]!
    const when = new Date(start + i * 7_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
    chunk += `job-${(0x10000000 + i).toString(16)},${name},${flavour.agent(i)},${when}\r\n`
    if (chunk.length > 1 << 20) {
      await put(out, flavour.encode(chunk))
      chunk = ''
    }
  }
  await put(out, flavour.encode(chunk))
  await close(out)
  return (await stat(flavour.file)).size
}

export async function benchD(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 100_000 : 1_000_000
  const flavours: CsvFlavour[] = [
    {
      label: 'UTF-8',
      file: join(ctx.scratch, 'd-utf8.csv'),
      header: 'ContactId,FileName,Agent,StartTime',
      agent: (i) => `agent-${i % 300}`,
      encode: (t) => Buffer.from(t, 'utf8'),
    },
    {
      // What Excel on Chinese Windows saves: GB18030, Chinese headers and agent names.
      label: 'GB18030',
      file: join(ctx.scratch, 'd-gb18030.csv'),
      header: '话务ID,录音文件名,坐席,开始时间',
      agent: (i) => `${AGENTS[i % AGENTS.length]!}${i % 300}`,
      encode: (t) => iconv.encode(t, 'gb18030'),
    },
  ]
  const rows: Row[] = []
  const child = await bundled(join(root, 'scripts/bench/import-child.ts'))
  for (const f of flavours) {
    const bytes = await writeCsv(f, n)
    try {
      const [node, args] = [process.execPath, [child, f.file]]
      await measure(node, args, { scratch: ctx.scratch })
      const m = await measure(node, args, { scratch: ctx.scratch })
      if (m.code !== 0) throw new Error(`import child exited ${m.code}: ${m.stderr.trim()}`)
      const r = JSON.parse(m.stdout) as { ms: number; names: number; duplicates: number; encoding: string; column: string }
      const expected = n - Math.floor(n / 50)
      if (r.names !== expected) throw new Error(`import ${f.label}: ${r.names} names, expected ${expected}`)
      ctx.log(`d  ${f.label}: ${count(n)} rows (${(bytes / 2 ** 20).toFixed(0)} MiB, ${r.encoding}, column ${r.column}) in ${seconds(r.ms)}, peak RSS ${mb(m.peakRssMb)}`)
      rows.push(
        {
          section: 'd',
          what: `import ${count(n)}-row CSV, 4 columns, ${f.label} (${(bytes / 2 ** 20).toFixed(0)} MiB)`,
          figure: `${seconds(r.ms)} (process ${seconds(m.wallMs)})`,
          target: '≤ 5 s',
          met: r.ms <= 5000,
        },
        {
          section: 'd',
          what: `import ${f.label}: peak RSS`,
          figure: mb(m.peakRssMb),
          target: '≤ 200 MB',
          met: m.peakRssMb === null ? null : m.peakRssMb <= 200,
        },
      )
    } finally {
      await rm(f.file, { force: true })
    }
  }
  return rows
}
