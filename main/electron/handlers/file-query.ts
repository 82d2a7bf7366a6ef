import type { FileCall, FileRow } from '../../common/api.ts'
import type { JobKind } from '../../common/job.ts'
import type { RecordingMeta } from '../../engine/calls/call.ts'
import { MetaIndex } from '../../engine/calls/meta-index.ts'
import type { ExportTable, FileEntry } from '../../engine/export/export-table.ts'
import { fileRow, fileRows } from '../../engine/export/file-rows.ts'

export type FileSort = 'name' | 'size' | 'state'

export interface FileQuery {
  readonly offset: number
  readonly limit: number
  readonly state?: JobKind | undefined
  readonly code?: string | undefined
  /** Part of the name, any case. */
  readonly search?: string | undefined
  readonly sort?: FileSort | undefined
  readonly descending?: boolean | undefined
}

type Match = readonly [string, FileEntry]

const ORDER: Record<JobKind, number> = { failed: 0, downloading: 1, resolving: 2, restoring: 3, queued: 4, paused: 5, skipped: 6, done: 7 }
const COMPARE: Record<FileSort, (a: Match, b: Match) => number> = {
  name: (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  size: (a, b) => a[1].bytes - b[1].bytes,
  state: (a, b) => ORDER[a[1].state] - ORDER[b[1].state],
}

/**
 * The file list searched and sorted, a window at a time. Sorting a million names takes a moment,
 * so the sorted matches are kept for the next windows of the same query until the table changes
 * (its counts or bytes move with every change that could reorder it).
 */
export class FileQueries {
  private cached: { key: string; matches: Match[] } | undefined
  private readonly calls = new CallColumns()

  /** `export:files`: the engine's one pass when nothing is searched or sorted, else the cached query; call columns when asked. */
  async page(runner: { readonly outDir: string; readonly table: ExportTable }, q: FileQuery & { readonly id: string; readonly call?: boolean | undefined }): Promise<{ total: number; rows: FileRow[] }> {
    const { table } = runner
    const page = q.search || q.sort ? this.rows(q.id, table, q) : fileRows(table, q.offset, q.limit, q.state, q.code)
    return q.call ? { total: page.total, rows: await this.calls.add(runner.outDir, table, page.rows) } : page
  }

  rows(id: string, table: ExportTable, q: FileQuery): { total: number; rows: FileRow[] } {
    const matches = this.matches(id, table, q)
    const rows = matches.slice(q.offset, q.offset + q.limit).map(([name, e]) => fileRow(name, e))
    return { total: matches.length, rows }
  }

  private matches(id: string, table: ExportTable, q: FileQuery): Match[] {
    const key = JSON.stringify([id, q.state, q.code, q.search, q.sort, q.descending, table.size, table.bytes, table.counts])
    if (this.cached?.key === key) return this.cached.matches
    const needle = q.search?.trim().toLowerCase() ?? ''
    const matches: Match[] = []
    for (const [name, e] of table.files) {
      if (q.state !== undefined && e.state !== q.state) continue
      if (q.code !== undefined && e.error?.code !== q.code) continue
      if (needle !== '' && !name.toLowerCase().includes(needle)) continue
      matches.push([name, e])
    }
    if (q.sort !== undefined) {
      const compare = COMPARE[q.sort]
      matches.sort(q.descending ? (a, b) => compare(b, a) : compare)
    }
    this.cached = { key, matches }
    return matches
  }
}

/**
 * The call columns of a page of rows, from the export's metadata file. One index per open table
 * (a reopened export has a new table, so its index starts afresh), dropped with the table.
 */
export class CallColumns {
  private readonly indexes = new WeakMap<ExportTable, MetaIndex>()

  async add(outDir: string, table: ExportTable, rows: readonly FileRow[]): Promise<FileRow[]> {
    let index = this.indexes.get(table)
    if (!index) {
      index = new MetaIndex(outDir, table.files)
      this.indexes.set(table, index)
    }
    const metas = await index.metas(rows.map((r) => r.name))
    return rows.map((row, i) => {
      const call = metas[i] ? callOf(metas[i]) : undefined
      return call ? { ...row, call } : row
    })
  }
}

/** What the list shows of a recording's metadata: its own agent first, else the call's agents. */
export function callOf(m: RecordingMeta): FileCall | undefined {
  const agents = m.agents?.map((a) => a.name ?? a.id).filter((a) => a !== undefined)
  const agent = m.agentName ?? m.agentId ?? (agents && agents.length > 0 ? agents.join(', ') : undefined)
  const start = m.callStart ?? m.start
  const call: FileCall = {
    ...(agent ? { agent } : {}),
    ...(m.caller ? { caller: m.caller } : {}),
    ...(m.callee ? { callee: m.callee } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(m.contactId ? { contactId: m.contactId } : {}),
  }
  return Object.keys(call).length > 0 ? call : undefined
}
