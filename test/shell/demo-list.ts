/**
 * A list like `npm run demo` makes (scripts/demo.ts): the name column among others, as Excel on a
 * Chinese desktop exports it, a few of the demo's troublemakers, one recording that does not exist,
 * and some slow files so that a pause lands in the middle of transfers.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sim } from '../sim/index.ts'

export interface DemoList {
  readonly file: string
  readonly names: readonly string[]
  /** Listed, but the simulator has no such recording: reported as failed. */
  readonly missing: readonly string[]
  /** Paced by the simulator; first in the list, so they start at once. */
  readonly slow: readonly string[]
}

export interface DemoOptions {
  readonly count: number
  readonly slow: number
  /** Makes the names of two lists differ. */
  readonly start: number
  readonly troublemakers: boolean
}

export async function writeDemoList(sim: Sim, dir: string, fileName: string, o: DemoOptions): Promise<DemoList> {
  const names = Array.from({ length: o.count }, (_, i) => `${o.start + i * 3_600_000}${String(i).padStart(11, '0')}.wav`)
  for (const [i, name] of names.entries()) sim.setSize(name, 200_000 + ((i * 7919) % 600_000))
  const slow = names.slice(0, o.slow)
  for (const name of slow) {
    sim.setSize(name, 384 * 1024)
    sim.fault(name, { kind: 'slow', bytesPerSecond: 96 * 1024 })
  }
  const missing: string[] = []
  if (o.troublemakers) {
    // The demo's quick ones (no back-off waits): a dropped connection, an expired URL, a short body.
    sim.fault(names[o.slow + 1]!, { kind: 'reset', afterBytes: 100_000 })
    sim.fault(names[o.slow + 2]!, { kind: 'expire-url' })
    sim.fault(names[o.slow + 3]!, { kind: 'truncate', afterBytes: 50_000 })
    missing.push(names[o.slow + 4]!)
    sim.remove(names[o.slow + 4]!)
  }
  const file = join(dir, fileName)
  await writeFile(file, `话务ID,录音文件名,坐席\n${names.map((n, i) => `c-${i},${n},agent-${i % 5}`).join('\n')}\n`)
  return { file, names, missing, slow }
}

/** Resolves once the simulator has sent `bytes` of any of `names`: a transfer is under way. */
export function underWay(sim: Sim, names: readonly string[], bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (name: string, sent: number) => {
      if (!names.includes(name) || sent < bytes) return
      sim.events.off('chunk', on)
      resolve()
    }
    sim.events.on('chunk', on)
  })
}
