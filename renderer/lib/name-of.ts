import { exportName, type ExportOrigin } from '../../main/common/export-name.ts'
import { t } from '../state/locale.svelte.ts'

/** An export's name in the page's language: its file, its date range, else its folder's name. */
export function nameOf(info: { readonly outDir: string; readonly origin?: ExportOrigin }): string {
  return exportName(info, { pasted: t('exportName.pasted'), contacts: t('exportName.contacts') })
}
