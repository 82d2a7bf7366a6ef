import type { ExportEntry, VerifySummary } from '../../main/common/api.ts'
import { trackStatus } from './exports.svelte.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

class HistoryStore {
  list = $state.raw<readonly ExportEntry[]>([])
  loading = $state(false)
  loaded = $state(false)
  error = $state.raw<UiError | null>(null)
}

export const history = new HistoryStore()

export function resetHistory(): void {
  history.list = []
  history.loading = false
  history.loaded = false
  history.error = null
}

export async function loadHistory(): Promise<readonly ExportEntry[]> {
  history.loading = true
  history.error = null
  try {
    history.list = await port()['exports:history'](undefined)
    for (const s of history.list) trackStatus(s, false)
    history.loaded = true
  } catch (e) {
    history.error = toUiError(e)
  } finally {
    history.loading = false
  }
  return history.list
}

async function shell(action: () => Promise<void>): Promise<void> {
  history.error = null
  try {
    await action()
  } catch (e) {
    history.error = toUiError(e)
  }
}

export function openFolder(path: string): Promise<void> {
  return shell(() => port()['shell:openPath']({ path }))
}

export function revealReport(path: string): Promise<void> {
  return shell(() => port()['shell:reveal']({ path }))
}

/** Drops an export from History (not its folder); a running one is refused by main. */
export async function forgetExport(id: string): Promise<void> {
  await shell(async () => {
    await port()['exports:forget']({ id })
    history.list = history.list.filter((s) => s.id !== id)
  })
}

/**
 * Worth offering "Resume": stopped short of the end. A finished export has nothing left to resume
 * (resume takes queued and paused files); its failures are offered as "Retry all failed" instead.
 * One whose files the disk no longer has reads as paused (readExportStatus), so it is offered.
 */
export function canResume(s: ExportEntry): boolean {
  if (s.state === 'running' || s.state === 'listing' || s.state === 'pausing' || s.state === 'finished') return false
  return s.counts.done + s.counts.skipped < s.counts.total
}

/** History's "Verify folder" (issue 13): the answers of this session by export, and which one runs. */
class VerifyStore {
  running = $state<string | null>(null)
  results = $state.raw<Readonly<Record<string, VerifySummary>>>({})
}

export const verifying = new VerifyStore()

/** Rereads every file of the folder's manifest; the entry then shows when it was last verified. */
export async function verifyFolder(id: string): Promise<void> {
  verifying.running = id
  await shell(async () => {
    const result = await port()['exports:verify']({ id })
    verifying.results = { ...verifying.results, [id]: result }
    const { problems: _, ...last } = result
    history.list = history.list.map((s) => (s.id === id ? { ...s, lastVerified: last } : s))
  })
  verifying.running = null
  // Files gone from the disk make the export one to resume: its entry offers Resume once read again.
  const found = verifying.results[id]
  if (found && found.missing + found.changed > 0) await loadHistory()
}
