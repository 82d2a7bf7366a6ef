import { access, constants, realpath } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

/** The first of `names` in one of PATH's folders that can be run; undefined when none. */
async function onPath(names: readonly string[], env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): Promise<string | undefined> {
  const sep = platform === 'win32' ? ';' : delimiter
  for (const dir of (env.PATH ?? env.Path ?? '').split(sep)) {
    if (dir === '') continue
    for (const name of names) {
      const file = join(dir, name)
      try {
        await access(file, platform === 'win32' ? constants.F_OK : constants.X_OK)
        return file
      } catch {
        // not here
      }
    }
  }
  return undefined
}

/**
 * What a scheduled job runs for `ccc-recordings` when the desktop app installs it: the packaged
 * app cannot run the CLI itself (its runAsNode fuse is off), so the job needs the command line
 * installed on this computer (npm i -g, found on PATH), or, in a checkout, its own bin. On Unix
 * the npm shim is resolved to its script and run by the node found on PATH, because a
 * systemd user service or cron starts with a PATH of their own, where `#!/usr/bin/env node` may
 * find no node (nvm installs). Undefined: there is none, and the app says so.
 */
export async function findCommandLine(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, checkoutBin?: string): Promise<string[] | undefined> {
  const node = await onPath(platform === 'win32' ? ['node.exe'] : ['node'], env, platform)
  const shim = await onPath(platform === 'win32' ? ['ccc-recordings.cmd', 'ccc-recordings.exe'] : ['ccc-recordings'], env, platform)
  if (shim !== undefined) {
    if (platform === 'win32' || node === undefined) return [shim]
    const script = await realpath(shim).catch(() => shim)
    return script.endsWith('.js') ? [node, script] : [shim]
  }
  if (checkoutBin !== undefined && node !== undefined) {
    const present = await access(checkoutBin).then(() => true, () => false)
    if (present) return [node, checkoutBin]
  }
  return undefined
}
