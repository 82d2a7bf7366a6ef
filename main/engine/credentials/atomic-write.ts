import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { syncFolder } from '../sync-folder.ts'

/**
 * Replaces `file` so that a reader (or a crash) sees either the old content or the new one, never
 * a mix: write a temp file in the same folder, fsync it, rename it over, fsync the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file)
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    handle = await open(tmp, 'wx', mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await renameOver(tmp, file)
  } catch (e) {
    await handle?.close().catch(() => {})
    await rm(tmp, { force: true }).catch(() => {})
    throw e
  }
  await syncFolder(dir)
}

// Windows refuses to replace a file another process (an indexer, a virus scanner) has open for a
// moment; a few short retries ride that out.
async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (process.platform !== 'win32' || attempt >= 5 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw e
      await delay(20 * 2 ** attempt)
    }
  }
}
