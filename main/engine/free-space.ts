import { statfs } from 'node:fs/promises'

/**
 * Bytes a user may still write on the disk that holds `dir`, or undefined where the system will
 * not say. A full disk stops an export and can keep its journal from saying why (nothing can be
 * written), so `status` reads the disk itself.
 */
export async function freeSpace(dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}
