import { CccError, isCccError } from '../common/errors.ts'

/**
 * The one errno → catalog code mapping of the engine (issue 12 item 3): a full disk pauses the
 * export (the user can free space and resume), a folder we may not or cannot write to stops it.
 * Anything else is not ours to name: undefined, and the caller decides.
 */
const CODES: ReadonlyMap<string, 'DiskFull' | 'Local.WriteFailed'> = new Map([
  ['ENOSPC', 'DiskFull'],
  ['EDQUOT', 'DiskFull'],
  ['EACCES', 'Local.WriteFailed'],
  ['EPERM', 'Local.WriteFailed'],
  ['EROFS', 'Local.WriteFailed'],
  ['ENOTDIR', 'Local.WriteFailed'],
  ['EISDIR', 'Local.WriteFailed'],
  ['ENAMETOOLONG', 'Local.WriteFailed'],
  // Larger than the file system or a limit allows (FAT32's 4 GB, a shell's `ulimit -f`).
  ['EFBIG', 'Local.WriteFailed'],
])

export function errnoToCccError(e: unknown): CccError | undefined {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const code = typeof errno === 'string' ? CODES.get(errno) : undefined
  if (code === undefined) return undefined
  const message = code === 'DiskFull' ? 'No space left on the output disk' : e instanceof Error ? e.message : String(e)
  return new CccError({ code, message, cause: e })
}

/** Anything thrown becomes a CccError: as it is, mapped from its errno, or `Unknown` with its message and cause, never lost. */
export function toCccError(e: unknown): CccError {
  if (isCccError(e)) return e
  return errnoToCccError(e) ?? new CccError({ code: 'Unknown', message: e instanceof Error ? e.message : String(e), cause: e })
}
