import { open, type FileHandle } from 'node:fs/promises'

/**
 * Makes the renames into `dir` survive a crash (fsync of the folder). Best effort: Windows cannot
 * open a folder for this (NTFS journals renames anyway), and some file systems, network shares
 * among them, refuse; the renamed files' bytes are already synced.
 */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => {})
  }
}
