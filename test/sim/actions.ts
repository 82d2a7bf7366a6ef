import { downloadRecording } from './download-recording.ts'
import type { ActionEntry } from './rpc-types.ts'

/** Action name → handler. A new action is one more entry here. */
export const actions: ReadonlyMap<string, ActionEntry> = new Map<string, ActionEntry>([
  ['DownloadRecording', { handle: downloadRecording, storm: true }],
])
