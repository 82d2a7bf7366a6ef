/**
 * The life of one file in an export. `paused` keeps the bytes already in `<name>.part`; the
 * engine's table holds the rest of a file's state (bytes, error, path) beside its kind.
 * `restoring`: a CCC 2.0 recording in archive storage, waiting for RestoreArchivedRecordings to
 * complete before it is downloaded (issue 14 item 4); journalled, so a resume keeps waiting.
 */
export type JobKind = 'queued' | 'resolving' | 'downloading' | 'paused' | 'done' | 'failed' | 'skipped' | 'restoring'

// Last, not beside `queued`: the engine stores a file's kind as its index here (file-columns.ts).
export const JOB_KINDS: readonly JobKind[] = ['queued', 'resolving', 'downloading', 'paused', 'done', 'failed', 'skipped', 'restoring']
