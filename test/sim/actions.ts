import { downloadRecording } from './download-recording.ts'
import { listCallDetailRecords, listRecordingsByContactId } from './list-actions.ts'
import { restoreArchivedRecordings } from './archive.ts'
import type { ActionEntry } from './rpc-types.ts'
import { getCallDetailRecord, getMonoRecording, getMultiChannelRecording, listCallDetailRecordsV2, listMonoRecordings } from './v2-actions.ts'

/** Action name → handler. A new action is one more entry here. */
export const actions: ReadonlyMap<string, ActionEntry> = new Map<string, ActionEntry>([
  ['DownloadRecording', { handle: downloadRecording, storm: true }],
  // The real flow control is per account, not per action: a storm throttles listing too.
  ['ListRecordingsByContactId', { handle: listRecordingsByContactId, storm: true }],
  ['ListCallDetailRecords', { handle: listCallDetailRecords, storm: true }],
])

/** The 2020-07-01 actions (CCC 2.0), same checks and faults: test/sim/v2-actions.ts. */
export const actionsV2: ReadonlyMap<string, ActionEntry> = new Map<string, ActionEntry>([
  ['ListCallDetailRecords', { handle: listCallDetailRecordsV2, storm: true }],
  ['GetCallDetailRecord', { handle: getCallDetailRecord, storm: true }],
  ['GetMonoRecording', { handle: getMonoRecording, storm: true }],
  ['GetMultiChannelRecording', { handle: getMultiChannelRecording, storm: true }],
  ['ListMonoRecordings', { handle: listMonoRecordings, storm: true }],
  ['RestoreArchivedRecordings', { handle: restoreArchivedRecordings, storm: true }],
])
