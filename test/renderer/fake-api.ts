/**
 * An in-memory CccApi: the UI's port, as the preload would present it. It keeps what a real main
 * process keeps (profiles, settings, one export's files) so the screens can be driven end to end
 * without Electron; every call is recorded for assertions. The real handlers are tested elsewhere.
 */
import type {
  RangeCount,
  VerifySummary,
  ApiEvents,
  ApiRequest,
  ApiResponse,
  CccApi,
  ErrorDetails,
  EventName,
  ExportEntry,
  ExportEvent,
  FileRow,
  ImportPreview,
  Method,
  NameSource,
  ProfileSummary,
  Settings,
  SyncInfo,
} from '../../main/common/api.ts'
import type { ConnectionOutcome } from '../../main/common/connection-outcomes.ts'
import { METHODS } from '../../main/common/api.ts'
import { emptyCounts, type ExportInfo, type ExportStatus, type ExportUpdate } from '../../main/common/progress.ts'
import { describeSource, rangeSource } from '../../main/engine/import/sources.ts'

export type Handlers = { [M in Method]: (request: ApiRequest<M>) => Promise<ApiResponse<M>> }

export interface Call {
  readonly method: Method
  readonly request: unknown
}

export interface FakeInit {
  systemLocale?: string
  settings?: Partial<Settings>
  profiles?: ProfileSummary[]
  history?: ExportEntry[]
  files?: FileRow[]
  preview?: Partial<ImportPreview>
  outcome?: ConnectionOutcome
  verify?: VerifySummary
  rangeCount?: RangeCount
  /** Each folder's nightly sync as `sync:status` answers; an unknown folder can be scheduled. */
  sync?: Record<string, SyncInfo>
}

export interface Fake {
  readonly api: CccApi
  readonly calls: Call[]
  /** The secrets `profiles:save` received, by profile name: what would go to the keychain. */
  readonly secrets: Map<string, string>
  profiles: ProfileSummary[]
  files: FileRow[]
  history: ExportEntry[]
  settings: Settings
  /** Replace one method's behaviour for a test. */
  handle<M extends Method>(method: M, handler: (request: ApiRequest<M>) => Promise<ApiResponse<M>>): void
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void
  callsTo(method: Method): unknown[]
  listenerCount(): number
}

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message)
  }
}

export const PROFILE: ProfileSummary = {
  name: 'default',
  region: 'cn-shanghai',
  instanceId: 'inst-1',
  accessKeyIdMasked: 'LTAI****abcd',
  outputDir: '/home/user/Recordings',
  isDefault: true,
}

/** Which export an event or a status is about; `exp-1` in /home/user/Recordings unless told. */
export function info(over: Partial<ExportInfo> = {}): ExportInfo {
  return {
    id: 'exp-1',
    outDir: '/home/user/Recordings',
    createdAt: '2026-03-01T08:00:00.000Z',
    instanceId: 'inst-1',
    profile: 'default',
    source: 'a list of file names',
    ...over,
  }
}

export function summary(over: Partial<ExportStatus> = {}): ExportStatus {
  return {
    ...info(over),
    state: 'running',
    counts: { ...emptyCounts(), queued: 3, total: 3 },
    bytes: 0,
    failures: [],
    ...over,
  }
}

export function progress(over: Partial<ExportEvent> = {}): ExportEvent {
  return {
    export: info({ id: over.id ?? 'exp-1' }),
    id: 'exp-1',
    state: 'running',
    counts: { ...emptyCounts(), total: 10, done: 4, downloading: 2, queued: 4 },
    bytes: 4 * 1024 * 1024,
    bytesPerSecond: 1024 * 1024,
    etaSeconds: 125,
    failures: [],
    ...over,
  }
}

export const OK_OUTCOME: ConnectionOutcome = {
  kind: 'ok',
  ok: true,
  message: { 'zh-CN': '连接正常', en: 'Connection OK' },
  action: { 'zh-CN': '可以开始下载录音。', en: 'You can start downloading recordings.' },
}

/** A date range's preview as the real handler gives it: the range journalled in UTC, nothing read yet. */
function rangePreview(request: Extract<NameSource, { kind: 'range' }>): ImportPreview {
  const origin = rangeSource(request)
  return { token: 'tok-1', origin, sourceName: describeSource(origin), rows: 0, names: 0, duplicates: 0, blank: 0, invalid: [], invalidCount: 0, sample: [] }
}

export function fakeApi(init: FakeInit = {}): Fake {
  const calls: Call[] = []
  const listeners = new Set<(p: ExportUpdate) => void>()
  const fake: Fake = {
    api: undefined as unknown as CccApi,
    calls,
    secrets: new Map(),
    profiles: init.profiles ?? [],
    files: init.files ?? [],
    history: init.history ?? [],
    settings: { language: 'system', concurrency: 6, maxBytesPerSecond: null, ...init.settings },
    handle(method, handler) {
      ;(handlers as Record<Method, unknown>)[method] = handler
    },
    emit(_event, payload) {
      for (const l of listeners) l(payload)
    },
    callsTo(method) {
      return calls.filter((c) => c.method === method).map((c) => c.request)
    },
    listenerCount: () => listeners.size,
  }

  const rowsFor = (r: ApiRequest<'export:files'>): FileRow[] =>
    fake.files.filter((f) => (r.state === undefined || f.state === r.state) && (r.code === undefined || f.error?.code === r.code))

  const syncs: Record<string, SyncInfo> = { ...init.sync }
  const handlers: Handlers = {
    'app:info': async () => ({ version: '0.1.0', platform: 'linux', systemLocale: init.systemLocale ?? 'en-US' }),
    'settings:get': async () => fake.settings,
    'settings:set': async (patch) => {
      fake.settings = { ...fake.settings, ...patch }
      return fake.settings
    },
    'profiles:list': async () => fake.profiles,
    'profiles:save': async ({ profile, secret, securityToken }) => {
      if (secret !== undefined) fake.secrets.set(profile.name, secret)
      // The token goes where the keychain would keep it, under its own key.
      if (securityToken) fake.secrets.set(`${profile.name} (STS token)`, securityToken)
      if (securityToken === null) fake.secrets.delete(`${profile.name} (STS token)`)
      const before = fake.profiles.find((p) => p.name === profile.name)
      const saved: ProfileSummary = {
        name: profile.name,
        region: profile.region,
        instanceId: profile.instanceId,
        // An edit leaves the key ID out: the saved one stays, as the real handler keeps it.
        accessKeyIdMasked: profile.accessKeyId === undefined ? (before?.accessKeyIdMasked ?? '') : `${profile.accessKeyId.slice(0, 4)}****`,
        ...(profile.apiVersion === undefined ? {} : { apiVersion: profile.apiVersion }),
        ...((securityToken === undefined ? before?.hasSecurityToken : securityToken !== null) ? { hasSecurityToken: true } : {}),
        ...(profile.outputDir === undefined ? {} : { outputDir: profile.outputDir }),
        ...(profile.retentionDays === undefined ? {} : { retentionDays: profile.retentionDays }),
        isDefault: fake.profiles.length === 0 || fake.profiles.some((p) => p.name === profile.name && p.isDefault),
      }
      fake.profiles = [...fake.profiles.filter((p) => p.name !== profile.name), saved]
      return saved
    },
    'profiles:remove': async ({ name }) => {
      fake.profiles = fake.profiles.filter((p) => p.name !== name)
    },
    'profiles:setDefault': async ({ name }) => {
      fake.profiles = fake.profiles.map((p) => ({ ...p, isDefault: p.name === name }))
    },
    'profiles:test': async () => init.outcome ?? OK_OUTCOME,
    'dialog:pickFolder': async () => '/picked/folder',
    'dialog:pickFile': async () => '/picked/names.csv',
    // A date range is listed by the export, not read now: main answers 0 rows and 0 names (imports.ts listingPreview).
    'import:preview': async ({ source }) => ({
      ...(source.kind === 'range'
        ? rangePreview(source)
        : {
            token: 'tok-1',
            sourceName: source.kind === 'bytes' ? source.fileName : source.kind === 'file' ? source.path : source.kind,
            rows: 3,
            names: 3,
            duplicates: 0,
            blank: 0,
            invalid: [],
            invalidCount: 0,
            sample: ['a.wav', 'b.wav', 'c.wav'],
          }),
      ...init.preview,
    }),
    'import:names': async ({ template }) => {
      if (template.includes('{bad}')) throw Object.assign(new Error('The name template "{bad}" has an unknown placeholder {bad}'), { code: 'Template.Invalid' })
      return ['a.wav', 'b.wav', 'c.wav'].map((n) => (template === 'flat' ? n : `2026/03/01/${n}`))
    },
    // The first calls' recordings as the template names them, as the real handler lists and names them.
    'import:count': async ({ template }) =>
      init.rangeCount ?? { calls: 1234, estimatedBytes: 5_000_000_000, sample: ['c1.wav', 'c2.wav'].map((n) => (template === undefined || template === 'flat' ? n : `2026/03/01/${n}`)) },
    'export:start': async (r) => summary({ outDir: r.outDir, profile: r.profile, state: 'running' }),
    'export:pause': async () => {},
    'export:resume': async () => {},
    'export:cancel': async () => {},
    'export:setLimits': async () => {},
    'export:files': async (r) => {
      const rows = rowsFor(r)
      return { total: rows.length, rows: rows.slice(r.offset, r.offset + r.limit) }
    },
    'export:retryGroup': async ({ code }) => fake.files.filter((f) => f.error?.code === code).length,
    'export:retryFailed': async () => fake.files.filter((f) => f.state === 'failed').length,
    'export:saveGroup': async ({ code }) => `/home/user/Recordings/failed-${code}.csv`,
    'exports:history': async () => fake.history,
    'exports:pauseAll': async () => 0,
    'exports:resumeAll': async () => 0,
    'exports:forget': async ({ id }) => {
      fake.history = fake.history.filter((h) => h.id !== id)
    },
    'exports:verify': async ({ id }) => {
      const result = init.verify ?? { ok: true, at: '2026-03-02T08:00:00.000Z', files: 3, missing: 0, changed: 0, unexpected: 0, problems: [] }
      // As main keeps it in verified.json: History read again shows this outcome.
      const { problems: _, ...last } = result
      fake.history = fake.history.map((h) => (h.id === id ? { ...h, lastVerified: last } : h))
      return result
    },
    'shell:openPath': async () => {},
    'shell:reveal': async () => {},
    'sync:status': async ({ id }) => syncs[id] ?? {},
    'sync:install': async ({ id, at }) => (syncs[id] = { ...syncs[id], scheduled: { at, kind: 'systemd' }, mark: syncs[id]?.mark ?? null }),
    'sync:remove': async ({ id }) => {
      const { scheduled: _, ...rest } = syncs[id] ?? {}
      return (syncs[id] = rest)
    },
  }

  const api: Record<string, unknown> = {}
  for (const method of METHODS) {
    api[method] = (request: unknown) => {
      calls.push({ method, request })
      return (handlers[method] as (r: unknown) => Promise<unknown>)(request)
    }
  }
  api.on = (_event: EventName, listener: (p: ExportUpdate) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  ;(fake as { api: CccApi }).api = api as unknown as CccApi
  return fake
}
