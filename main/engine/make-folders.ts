import { mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

/**
 * `mkdir -p` one level at a time. Node's recursive mkdir retries a component for as long as the
 * system answers ENOENT with its parent in place, which is what a pseudo file system (`/proc`,
 * `/sys`, some FUSE mounts) answers for good: the call never settles. Here each missing folder is
 * made once, and ENOENT from a folder whose parent exists is the caller's error, by name.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = []
  for (let at = resolve(dir); ; ) {
    const found = await stat(at).then(
      (s) => s,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined
        throw e
      },
    )
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: at })
      break
    }
    missing.push(at)
    const up = dirname(at)
    if (up === at) break
    at = up
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder)
    } catch (e) {
      // Made by someone else meanwhile: a file there fails the next step by itself.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
  }
}
