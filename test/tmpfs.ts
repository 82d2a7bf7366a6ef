/**
 * A real full disk for the tests: a small tmpfs. Mounting needs root on Linux (CI runs as root, in
 * a privileged container, with CCC_REQUIRE=root); elsewhere the tests that need it skip.
 */
import { execFileSync } from 'node:child_process'
import { skipReason } from './requirement.ts'

/** Mounts a tmpfs of `size` (mount's units: 320k, 2m) on the folder `dir`; false where it cannot. */
export function mountTmpfs(dir: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Why a test that needs the tmpfs skips here, or null when it is mounted (CCC_REQUIRE=root turns the skip into a failure). */
export function tmpfsSkip(mounted: boolean): string | null {
  return skipReason('root', mounted ? null : 'mounting a small tmpfs needs root on Linux (and, in a container, --privileged)')
}

/** Makes room: the same tmpfs, now `size`. */
export function resizeTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-o', `remount,size=${size}`, dir])
}

export function unmountTmpfs(dir: string): void {
  execFileSync('umount', ['-l', dir])
}
