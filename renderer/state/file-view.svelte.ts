import type { FileCall, FileRow } from '../../main/common/api.ts'
import { playUrl } from '../../main/common/play-url.ts'

/** The call columns the file list can show beside name, state and size (issue 13 item 7). */
export const CALL_COLUMNS = ['agent', 'caller', 'callee', 'start', 'contactId'] as const satisfies readonly (keyof FileCall)[]
export type CallColumn = (typeof CALL_COLUMNS)[number]

const COLUMNS_KEY = 'ccc.fileColumns'
const SUMMARY_KEY = 'ccc.summaryOpen'

/** A remembered choice: localStorage when the page has it (not every test environment does). */
function recall(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null
  } catch {
    return null
  }
}

function keep(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value)
  } catch {
    // A page without storage forgets the choice at the next start; nothing else depends on it.
  }
}

function recalledColumns(): CallColumn[] {
  const saved = recall(COLUMNS_KEY)
  if (saved === null) return ['agent', 'caller', 'start']
  return saved.split(',').filter((c): c is CallColumn => (CALL_COLUMNS as readonly string[]).includes(c))
}

/** What one file's detail shows under the list: its error in full, or its player. */
export type FileDetail = { readonly kind: 'error'; readonly row: FileRow } | { readonly kind: 'play'; readonly row: FileRow; readonly src: string }

class FileView {
  /** Shown call columns; the default is what QA leads look for first (issue 13: agent, caller, start). */
  columns = $state<CallColumn[]>(recalledColumns())
  /** The Queue page's summary cards, open unless the user closed them. */
  summaryOpen = $state(recall(SUMMARY_KEY) !== 'false')
  detail = $state.raw<FileDetail | null>(null)
  copied = $state(false)
}

export const fileView = new FileView()

export function toggleColumn(column: CallColumn, on: boolean): void {
  const next = CALL_COLUMNS.filter((c) => (c === column ? on : fileView.columns.includes(c)))
  fileView.columns = next
  keep(COLUMNS_KEY, next.join(','))
}

export function toggleSummary(): void {
  fileView.summaryOpen = !fileView.summaryOpen
  keep(SUMMARY_KEY, String(fileView.summaryOpen))
}

export function showError(row: FileRow): void {
  fileView.copied = false
  fileView.detail = { kind: 'error', row }
}

export function play(row: FileRow, outDir: string): void {
  if (row.localPath === undefined) return
  fileView.copied = false
  fileView.detail = { kind: 'play', row, src: playUrl(outDir, row.localPath) }
}

/**
 * A row's file as the shell wants it: the journal keeps a done file's path relative to the export's
 * folder ('2026-03/张三/x.wav'), so it is joined to the folder with the folder's own separator.
 */
export function absolutePath(outDir: string, localPath: string): string {
  if (localPath.startsWith('/') || /^[A-Za-z]:[\\/]/.test(localPath) || localPath.startsWith('\\\\')) return localPath
  const sep = outDir.includes('\\') && !outDir.includes('/') ? '\\' : '/'
  return `${outDir.replace(/[\\/]+$/, '')}${sep}${sep === '\\' ? localPath.replaceAll('/', '\\') : localPath}`
}

export function closeDetail(): void {
  fileView.detail = null
}

/** The error as one copyable text: code, meaning, and the server's own words. */
export function errorText(row: FileRow, meaning: string): string {
  return row.error ? `${row.name}\n${row.error.code}: ${meaning}\n${row.error.message}` : ''
}

/** The clipboard when the page may write it, else the selected text and the browser's copy command. */
export async function copyText(text: string, fallback: HTMLElement | undefined): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    if (fallback === undefined) return
    const range = document.createRange()
    range.selectNodeContents(fallback)
    const selection = window.getSelection()
    selection?.removeAllRanges()
    selection?.addRange(range)
    document.execCommand('copy')
  }
  fileView.copied = true
}
