import { downloadRecording } from './download-recording.ts'
import { listCallDetailRecords, listRecordingsByContactId } from './list-actions.ts'
import type { ActionEntry } from './rpc-types.ts'

/** Action name → handler. A new action is one more entry here. */
export const actions: ReadonlyMap<string, ActionEntry> = new Map<string, ActionEntry>([
  ['DownloadRecording', { handle: downloadRecording, storm: true }],
  // The real flow control is per account, not per action: a storm throttles listing too.
  ['ListRecordingsByContactId', { handle: listRecordingsByContactId, storm: true }],
  ['ListCallDetailRecords', { handle: listCallDetailRecords, storm: true }],
])
