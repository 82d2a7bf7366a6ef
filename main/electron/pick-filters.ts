/**
 * The Choose-file dialog's filters, apart from host.ts so they can be tested without Electron.
 * The first filter is what the dialog shows: every kind of list the import reads, the Excel
 * workbook the drop zone advertises included, so no one has to switch to "*" to find it.
 */
export const NAME_LIST_FILTERS: { name: string; extensions: string[] }[] = [
  { name: 'CSV / TSV / TXT / Excel', extensions: ['csv', 'tsv', 'txt', 'xlsx'] },
  { name: '*', extensions: ['*'] },
]
