/**
 * `npm run bench [-- --only a,c] [--quick] [--rounds N]`: the speed and scale figures of
 * docs/performance.md, measured against the CCC + OSS simulator on loopback.
 *
 *   a  2,000 files of 300 KB at concurrency 8: our CLI end to end against the two-step peer
 *      (every URL resolved with DownloadRecording, then `aria2c -j 8 -i urls`) and the bare
 *      per-file work in Node (bench/bare-download.ts), in turn
 *   b  100,000 files of 2 KB through our CLI: files per second and peak RSS
 *   c  replaying a journal of 1,000,000 entries, and `status` of that export: time and peak RSS
 *   d  importing a 1,000,000-row CSV (UTF-8 and GB18030): time and peak RSS
 *   e  the renderer with 100,000 rows while progress streams in, in Chromium
 *   f  `verify` on 100,000 files of 2 KB and their manifest: files per second and peak RSS
 *
 * --quick runs every part at a tenth or less of its size, for iterating; its figures are not
 * the ones the targets are about. The simulator's credentials are test values, not Alibaba Cloud's.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { benchA, benchB, type BenchContext } from './bench/download.ts'
import { loadLine, machineLines } from './bench/machine.ts'
import { hasGnuTime } from './bench/measure.ts'
import { benchE } from './bench/renderer.ts'
import { formatTable, seconds, type Row } from './bench/report.ts'
import { benchC, benchD } from './bench/scale.ts'
import { benchF } from './bench/verify.ts'

const SECTIONS: Record<string, (ctx: BenchContext) => Promise<Row[]>> = { a: benchA, b: benchB, c: benchC, d: benchD, e: benchE, f: benchF }

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log('npm run bench [-- --only a,b,c,d,e,f] [--quick] [--rounds 3]')
  process.exit(0)
}
const only = (values.only ?? 'a,b,c,d,e,f').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
for (const s of only) {
  if (!SECTIONS[s]) {
    console.error(`--only: unknown part "${s}"; the parts are a, b, c, d, e, f`)
    process.exit(2)
  }
}
const rounds = Number(values.rounds ?? 3)
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('--rounds wants a whole number ≥ 1')
  process.exit(2)
}

console.log(machineLines().join('\n'))
if (!hasGnuTime) console.log('note     /usr/bin/time is missing (apt-get install time): peak RSS is polled from /proc instead')
if (values.quick) console.log('note     --quick: reduced sizes, not the figures the targets are about')
console.log('')

const scratch = await mkdtemp(join(tmpdir(), 'ccc-bench-'))
const ctx: BenchContext = { scratch, quick: values.quick, rounds, log: (line) => console.log(line) }
const rows: Row[] = []
const started = performance.now()
let failed = false
try {
  for (const s of only) {
    try {
      rows.push(...(await SECTIONS[s]!(ctx)))
    } catch (e) {
      failed = true
      console.error(`${s}  failed: ${e instanceof Error ? e.message : String(e)}`)
      rows.push({ section: s, what: 'failed', figure: e instanceof Error ? e.message.slice(0, 80) : String(e) })
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true })
}
// Reduced sizes say nothing about targets set for the full ones.
const shown = values.quick ? rows.map((r) => ({ ...r, met: undefined, ...(r.target ? { target: `(${r.target} at full size)` } : {}) })) : rows
console.log(`\n${formatTable(shown)}\n\ntotal ${seconds(performance.now() - started)}; load now ${loadLine()}`)
process.exit(failed ? 1 : 0)
