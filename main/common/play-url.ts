/**
 * The address the page plays a downloaded recording from (issue 15 item 10): a scheme of our own,
 * answered by the main process for files inside the export folders it knows and nothing else
 * (main/electron/play-access.ts decides). The folder and the path ride as query values, so neither
 * is ever read as part of the URL's own path.
 */
export const PLAY_SCHEME = 'ccc-rec'

export function playUrl(outDir: string, localPath: string): string {
  return `${PLAY_SCHEME}://play/?dir=${encodeURIComponent(outDir)}&path=${encodeURIComponent(localPath)}`
}
