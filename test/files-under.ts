import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Every file below `dir`, as paths: where tests look for a secret that must not be there. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}
