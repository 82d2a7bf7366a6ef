import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { JournalEvent } from '../../../main/engine/export/journal-events.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import type { Sim } from '../../sim/index.ts'

/** Every listing request the simulator saw, as `action key` (contact ID, or window start:page). */
export function recordListing(sim: Sim): { requests: string[]; stop(): void } {
  const requests: string[] = []
  const listener = (action: string, params: Readonly<Record<string, string>>) =>
    requests.push(action === 'ListCallDetailRecords' ? `${params.StartTime}:${params.PageNumber}` : `contact ${params.ContactId}`)
  sim.events.on('list', listener)
  return { requests, stop: () => sim.events.off('list', listener) }
}

export function countBy(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1)
  return m
}

export async function journalEvents(out: string): Promise<JournalEvent[]> {
  const text = await readFile(journalPath(out), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JournalEvent)
}

/** Names in `add` events, each as often as it was added: a name added twice would be downloaded twice. */
export async function addedNames(out: string): Promise<string[]> {
  return (await journalEvents(out)).flatMap((e) => (e.type === 'add' ? e.names : []))
}

/** Every file under `dir` (relative, `/`-separated), the export's own state folder left out. */
export async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    // The export's own state and outputs are not recordings.
    if (['.ccc-recordings', 'report.csv', 'manifest.csv', 'manifest.jsonl'].includes(entry.name)) continue
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, rel)))
    else out.push(rel)
  }
  return out.sort()
}

export async function expectVerified(sim: Sim, out: string, paths: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, path] of Object.entries(paths)) {
    const bytes = await readFile(join(out, path))
    expect(bytes.equals(sim.content(name)), name).toBe(true)
  }
  expect(await filesUnder(out)).toEqual(Object.values(paths).sort())
}
