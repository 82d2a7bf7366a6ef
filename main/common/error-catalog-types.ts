/** The catalog's shape (and its commonest handling), shared by its data files (error-catalog-*.ts) and its lookup (error-catalog.ts). */

export type Locale = 'zh-CN' | 'en'
export type Text = Readonly<Record<Locale, string>>

/** What the engine does when it meets the code (engine/export/decide.ts turns it into a decision). */
export type Handling =
  | 'skip' // this file cannot be had: record the failure, go on with the rest
  | 'fatal' // every file would fail the same way: stop the export once (or, outside an export, the command)
  | 'retry' // transient: back off and try again, a bounded number of times
  | 'throttle' // flow control: retry, and lower the API call rate
  | 'renew-url' // the presigned URL expired: ask DownloadRecording again, then resume
  | 'pause' // the machine cannot take more (disk full): pause, mark nothing failed

export interface CatalogEntry {
  readonly handling: Handling
  readonly meaning: Text
  readonly action: Text
}

/** Spread into the many entries that stop an export (or a command) outright. */
export const fatalKey: Pick<CatalogEntry, 'handling'> = { handling: 'fatal' }
