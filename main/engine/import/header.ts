import { cleanRecordingName } from './validate-name.ts'

/**
 * Header cells that name the recording-file column, most specific first: when a sheet has both
 * `录音文件名` and `录音` (say, a yes/no column), the file name wins. Compared after `normalizeHeader`,
 * so `FileName`, `File Name`, `file_name` and `FILE-NAME` are one entry.
 */
export const KNOWN_NAME_HEADERS: readonly string[] = [
  '录音文件名',
  '录音文件名称',
  'RecordingFileName',
  'RecordFileName',
  'FileName',
  '文件名',
  '文件名称',
  '录音文件',
  'RecordingFile',
  'RecordFile',
  'Recording',
  '录音',
]

/** Case, spaces, `_`, `-` and `.` do not distinguish header names. */
export function normalizeHeader(cell: string): string {
  return cleanRecordingName(cell).toLowerCase().replace(/[\s_.\-]+/g, '')
}

const PRIORITY = new Map(KNOWN_NAME_HEADERS.map((h, i) => [normalizeHeader(h), i]))

/** The index of the cell that is a known file-name header, by priority, or -1 when none is. */
export function findNameColumn(cells: readonly string[]): number {
  let best = -1
  let bestRank = Infinity
  for (let i = 0; i < cells.length; i++) {
    const rank = PRIORITY.get(normalizeHeader(cells[i] ?? ''))
    if (rank !== undefined && rank < bestRank) {
      best = i
      bestRank = rank
    }
  }
  return best
}

/**
 * The index of the column the caller named: an exact match after trimming and ignoring case
 * first, then the looser `normalizeHeader` match; -1 when neither finds it.
 */
export function findColumnByName(cells: readonly string[], wanted: string): number {
  const exact = cleanRecordingName(wanted).toLowerCase()
  if (exact === '') return -1
  const exactAt = cells.findIndex((c) => cleanRecordingName(c).toLowerCase() === exact)
  if (exactAt >= 0) return exactAt
  const loose = normalizeHeader(wanted)
  return loose === '' ? -1 : cells.findIndex((c) => normalizeHeader(c) === loose)
}
