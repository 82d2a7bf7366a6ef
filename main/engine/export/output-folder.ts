import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CccError } from '../../common/errors.ts'

/** Why a folder cannot hold an export, by the errno that opening it met. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'no permission to write in it',
  EPERM: 'the system does not allow changing it (an immutable file or folder, or a protected location)',
  EROFS: 'it is on a read-only disk',
  EISDIR: 'a folder is where the export keeps a file (.ccc-recordings/journal.jsonl or lock)',
  ENAMETOOLONG: 'its path is too long',
  ENOENT: 'a folder could not be made there (one on its path does not exist or was removed, or the file system takes no new folders)',
  ELOOP: 'its path has a loop of symbolic links',
}

/**
 * Runs `open` (taking the lock, opening the journal) and turns a file system refusal into
 * `Export.OutputUnusable`, which names the folder and the reason: bad input (exit 2), not an
 * "unexpected ENOTDIR". Anything else, a full disk included, passes as it is.
 */
export async function usableFolder<T>(outDir: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException | undefined)?.code
    // EEXIST: mkdir -p met a file where the folder should be.
    if (typeof errno !== 'string' || (errno !== 'ENOTDIR' && errno !== 'EEXIST' && !(errno in REASONS))) throw e
    const reason = errno === 'ENOTDIR' || errno === 'EEXIST' ? await fileInTheWay(outDir) : REASONS[errno]!
    throw new CccError({ code: 'Export.OutputUnusable', message: `${outDir}: cannot be used as the output folder: ${reason}`, cause: e })
  }
}

/** ENOTDIR: the folder, or one above it, is a file. Say which. */
async function fileInTheWay(outDir: string): Promise<string> {
  for (let dir = outDir; ; dir = dirname(dir)) {
    const s = await stat(dir).catch(() => undefined)
    if (s && !s.isDirectory()) return dir === outDir ? 'it is a file, not a folder' : `${dir} is a file, not a folder`
    if (s || dirname(dir) === dir) return 'a part of its path is a file, not a folder'
  }
}
