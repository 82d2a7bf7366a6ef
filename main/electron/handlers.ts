import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ApiEvents, EventName, ExportSummary, FileRow, ImportPreview, NameSource, ProfileSummary } from '../common/api.ts'
import { maskAccessKeyId } from '../common/redact.ts'
import { CccClient } from '../engine/ccc/client.ts'
import type { Clock } from '../engine/clock.ts'
import { testConnection } from '../engine/credentials/connection-test.ts'
import type { Profile } from '../engine/credentials/profile-schema.ts'
import { ProfileStore } from '../engine/credentials/profiles.ts'
import type { SecretStore } from '../engine/credentials/secret-store.ts'
import { csvField, UTF8_BOM } from '../engine/export/csv-write.ts'
import { ExportTable } from '../engine/export/export-table.ts'
import { journalExists, readExportHeader, replayJournal } from '../engine/export/journal.ts'
import type { SourceInfo } from '../engine/export/journal-events.ts'
import { REPORT_FILE } from '../engine/export/report.ts'
import { ExportRunner } from '../engine/export/runner.ts'
import { importNames, type ImportResult, parseNameList } from '../engine/import/csv.ts'
import { describeSource, listingSource, SourceError } from '../engine/import/sources.ts'
import { type Logger, silentLogger } from '../engine/log.ts'
import type { Handlers } from './dispatch.ts'
import { HistoryStore, SettingsStore } from './settings-store.ts'

/** What only the desktop shell can do; tests pass real stand-ins that record the calls. */
export interface HostPorts {
  readonly version: string
  readonly platform: string
  systemLocale(): string
  pickFolder(): Promise<string | null>
  pickFile(): Promise<string | null>
  /** A save dialog for a CSV; null when the user cancels. */
  pickSavePath(defaultName: string): Promise<string | null>
  openPath(path: string): Promise<void>
  reveal(path: string): void
}

export interface HandlerDeps {
  readonly host: HostPorts
  readonly secrets: SecretStore
  readonly configDir: string
  readonly fetch: typeof fetch
  readonly clock?: Clock
  readonly log?: Logger
  /** Pushes an event to the page (batched upstream: the runner emits at most ~10 a second). */
  readonly emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void
}

export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'HandlerError'
  }
}

interface PendingImport {
  /** Recording names to add, or contact IDs to list (a range lists from the source alone). */
  readonly names: readonly string[]
  readonly contactIds: readonly string[]
  readonly source: SourceInfo
}

/**
 * The main side of the API, without Electron: the app's composition root binds these to ipcMain,
 * and the tests call them (or drive them from a real page) with the real engine behind.
 */
export function createHandlers(deps: HandlerDeps): Handlers & { close(): Promise<void>; runners: Map<string, ExportRunner> } {
  const log = deps.log ?? silentLogger
  const profiles = new ProfileStore(deps.configDir, deps.secrets)
  const settings = new SettingsStore(deps.configDir)
  const history = new HistoryStore(deps.configDir)
  const imports = new Map<string, PendingImport>()
  const runners = new Map<string, ExportRunner>()

  function summaryOf(p: Profile, defaultName: string | undefined): ProfileSummary {
    return {
      name: p.name,
      region: p.region,
      instanceId: p.instanceId,
      accessKeyIdMasked: maskAccessKeyId(p.accessKeyId),
      ...(p.endpoint ? { endpoint: p.endpoint } : {}),
      ...(p.outputDir ? { outputDir: p.outputDir } : {}),
      isDefault: p.name === defaultName,
    }
  }

  async function clientFor(profileName: string): Promise<{ client: CccClient; profile: Profile }> {
    const profile = await profiles.get(profileName)
    if (!profile) throw new HandlerError('Profiles.NotFound', `No profile is named "${profileName}"`)
    const credentials = await profiles.credentialsFor(profileName)
    const client = new CccClient({ credentials, region: profile.region, fetch: deps.fetch, ...(profile.endpoint ? { endpoint: profile.endpoint } : {}) })
    return { client, profile }
  }

  function watch(runner: ExportRunner): ExportRunner {
    runners.set(runner.outDir, runner)
    runner.onProgress((p) => deps.emit('export:progress', p))
    return runner
  }

  function start(runner: ExportRunner): void {
    runner.run().catch((e: unknown) => log.error(`export ${runner.outDir}: ${e instanceof Error ? e.message : String(e)}`))
  }

  /** An export in this session, or one reopened from its journal (history, resume after restart). */
  async function runnerFor(id: string, profileOverride?: string): Promise<ExportRunner> {
    const active = runners.get(id)
    if (active) return active
    const header = await readExportHeader(id)
    if (!header) throw new HandlerError('Export.NotFound', `${id}: no export here`)
    const profileName = profileOverride ?? header.profile ?? (await profiles.defaultName())
    if (!profileName) throw new HandlerError('Profiles.NotFound', 'This export names no profile, and there is no default profile')
    const { client } = await clientFor(profileName)
    return watch(await ExportRunner.open(id, { client, fetch: deps.fetch, log, ...(deps.clock ? { clock: deps.clock } : {}) }))
  }

  async function summarise(outDir: string): Promise<ExportSummary | undefined> {
    const active = runners.get(outDir)
    if (active) return exportSummary(outDir, active.table, active.state)
    if (!(await journalExists(outDir))) return undefined
    const table = new ExportTable()
    let state: ExportSummary['state'] = 'paused'
    await replayJournal(outDir, (e) => {
      table.apply(e)
      if (e.type === 'state') state = e.state === 'running' ? 'paused' : e.state
    })
    return exportSummary(outDir, table, state)
  }

  async function preview(source: NameSource): Promise<ImportPreview> {
    if (source.kind === 'contacts' || source.kind === 'range') return listingPreview(source)
    let result: ImportResult
    let info: SourceInfo
    let label: string
    switch (source.kind) {
      case 'file':
        result = await importNames(source.path)
        info = { kind: 'names', file: source.path }
        label = source.path
        break
      case 'bytes':
        result = await importNames(oneChunk(source.data), { fileName: source.fileName })
        info = { kind: 'names', file: source.fileName }
        label = source.fileName
        break
      case 'text':
        result = await parseNameList(source.text)
        info = { kind: 'names' }
        label = 'pasted list'
        break
    }
    const token = randomUUID()
    imports.set(token, { names: result.names, contactIds: [], source: info })
    return previewOf(token, label, result)
  }

  /** Contact IDs or a date range: checked now, listed inside the export (journalled, resumable). */
  async function listingPreview(source: Extract<NameSource, { kind: 'contacts' | 'range' }>): Promise<ImportPreview> {
    let plan
    try {
      plan = await listingSource(source)
    } catch (e) {
      if (e instanceof SourceError) throw new HandlerError(`Source.${e.field}`, e.message)
      throw e
    }
    const token = randomUUID()
    imports.set(token, { names: [], contactIds: plan.contactIds, source: plan.source })
    if (plan.imported) return previewOf(token, 'contact IDs', plan.imported)
    return { token, sourceName: describeSource(plan.source), rows: 0, names: 0, duplicates: 0, blank: 0, invalid: [], invalidCount: 0, sample: [] }
  }

  function previewOf(token: string, label: string, result: ImportResult): ImportPreview {
    const c = result.counts
    return {
      token,
      sourceName: label,
      rows: c.rows,
      names: c.names,
      duplicates: c.duplicates,
      blank: c.blank,
      invalid: result.invalid.slice(0, 200).map((r) => ({ row: r.row, value: r.value, problem: r.reason })),
      invalidCount: c.invalid,
      ...(result.encoding ? { encoding: result.encoding } : {}),
      ...(result.column.name ? { column: result.column.name } : {}),
      sample: result.names.slice(0, 20),
    }
  }

  const handlers: Handlers = {
    'app:info': async () => ({ version: deps.host.version, platform: deps.host.platform, systemLocale: deps.host.systemLocale() }),
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.set(patch),

    'profiles:list': async () => {
      const file = await profiles.read()
      return file.profiles.map((p) => summaryOf(p, file.defaultProfile))
    },
    'profiles:save': async ({ profile, secret }) => {
      // The secret goes to the keychain here, once, and is never sent back.
      const saved = await profiles.save(profile, secret)
      return summaryOf(saved, await profiles.defaultName())
    },
    'profiles:remove': async ({ name }) => {
      await profiles.remove(name)
    },
    'profiles:setDefault': async ({ name }) => {
      await profiles.setDefault(name)
    },
    'profiles:test': async ({ name }) => {
      const { client, profile } = await clientFor(name)
      return testConnection(client, profile.instanceId)
    },

    'dialog:pickFolder': () => deps.host.pickFolder(),
    'dialog:pickFile': () => deps.host.pickFile(),
    'import:preview': ({ source }) => preview(source),

    'export:start': async (req) => {
      const pending = imports.get(req.token)
      if (!pending) throw new HandlerError('Import.Expired', 'That list is no longer loaded; add it again')
      const { client, profile } = await clientFor(req.profile)
      const open = runners.get(req.outDir)
      if (open) {
        // Two runners on one folder would write one journal and the same .part files.
        if (open.active) {
          throw new HandlerError('Export.Busy', `${req.outDir}: an export is running in this folder; pause it, or choose another folder`)
        }
        // Finished or paused earlier in this session: its journal goes on in the new run.
        runners.delete(req.outDir)
        await open.close()
      }
      const runner = watch(
        await ExportRunner.open(
          req.outDir,
          { client, fetch: deps.fetch, log, ...(deps.clock ? { clock: deps.clock } : {}) },
          {
            instanceId: profile.instanceId,
            region: profile.region,
            profile: profile.name,
            ...(profile.endpoint ? { endpoint: profile.endpoint } : {}),
            source: pending.source,
            options: { concurrency: req.concurrency ?? 6, layout: req.layout ?? 'flat', maxBytesPerSecond: req.maxBytesPerSecond ?? null },
          },
        ),
      )
      if (pending.names.length > 0) runner.add(pending.names)
      if (pending.contactIds.length > 0) runner.addContacts(pending.contactIds)
      // The same date range into the same folder again: calls recorded since are listed too.
      runner.relist()
      imports.delete(req.token)
      await history.remember(req.outDir)
      start(runner)
      return exportSummary(req.outDir, runner.table, 'running')
    },
    'export:pause': async ({ id }) => {
      await runners.get(id)?.pause()
    },
    'export:resume': async ({ id }) => {
      start(await runnerFor(id))
    },
    'export:cancel': async ({ id }) => {
      await runners.get(id)?.cancel()
    },
    'export:setLimits': async ({ id, concurrency, maxBytesPerSecond }) => {
      const runner = runners.get(id)
      if (!runner) throw new HandlerError('Export.NotRunning', `${id}: this export is not open`)
      runner.setLimits({ ...(concurrency === undefined ? {} : { concurrency }), ...(maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond }) })
    },
    'export:files': async ({ id, offset, limit, state, code }) => {
      const runner = await runnerFor(id)
      return fileRows(runner.table, offset, limit, state, code)
    },
    'export:retryGroup': async ({ id, code }) => {
      const runner = await runnerFor(id)
      const n = runner.retryGroup(code)
      if (n > 0) start(runner)
      return n
    },
    'export:saveGroup': async ({ id, code }) => {
      const runner = await runnerFor(id)
      const path = await deps.host.pickSavePath(`failed-${code.replace(/[^\w.-]/g, '_')}.csv`)
      if (!path) return null
      await writeFile(path, groupCsv(runner.table, code))
      return path
    },
    'exports:history': async () => {
      const all = await Promise.all((await history.list()).map((d) => summarise(d).catch(() => undefined)))
      return all.filter((s): s is ExportSummary => s !== undefined)
    },
    'shell:openPath': ({ path }) => deps.host.openPath(path),
    'shell:reveal': async ({ path }) => deps.host.reveal(path),
  }

  return Object.assign(handlers, {
    runners,
    async close() {
      for (const runner of runners.values()) await runner.close()
    },
  })
}

function exportSummary(outDir: string, table: ExportTable, state: ExportSummary['state']): ExportSummary {
  const h = table.header
  return {
    id: outDir,
    outDir,
    createdAt: h?.createdAt ?? '',
    instanceId: h?.instanceId ?? '',
    ...(h?.profile ? { profile: h.profile } : {}),
    state,
    counts: { ...table.counts },
    bytes: table.bytes,
    reportPath: join(outDir, REPORT_FILE),
  }
}

/** A window of the file table for the virtualised list: one pass, nothing retained. */
export function fileRows(table: ExportTable, offset: number, limit: number, state?: string, code?: string): { total: number; rows: FileRow[] } {
  const rows: FileRow[] = []
  let total = 0
  for (const [name, e] of table.files) {
    if (state !== undefined && e.state !== state) continue
    if (code !== undefined && e.error?.code !== code) continue
    if (total >= offset && rows.length < limit) {
      rows.push({ name, state: e.state, bytes: e.bytes, ...(e.error ? { error: e.error } : {}), ...(e.path ? { localPath: e.path } : {}) })
    }
    total++
  }
  return { total, rows }
}

/** A group of failures as a CSV the app imports again: a `FileName` column first, BOM for Excel. */
export function groupCsv(table: ExportTable, code: string): string {
  let out = `${UTF8_BOM}FileName,error_code,error_message\r\n`
  for (const [name, e] of table.files) {
    if (e.state === 'failed' && e.error?.code === code) out += `${csvField(name)},${csvField(e.error.code)},${csvField(e.error.message)}\r\n`
  }
  return out
}

async function* oneChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data
}
