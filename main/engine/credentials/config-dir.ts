import { homedir } from 'node:os'
import path from 'node:path'

/** Overrides the per-user config folder (tests, portable set-ups). */
export const CONFIG_DIR_ENV = 'CCC_RECORDINGS_CONFIG_DIR'

/**
 * The per-user folder holding profiles.json, shared by the app and the CLI. Only the edges (the
 * CLI's main, the app's main process) call this; everything below takes the folder as a parameter.
 *
 * Electron's own `app.getPath('userData')` is `~/.config/CCC Recordings` on Linux, so the app must
 * use this function, not that path, to find the same file as the CLI.
 */
export function configDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env[CONFIG_DIR_ENV]
  if (override) return path.resolve(override)
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'CCC Recordings')
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'CCC Recordings')
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config'), 'ccc-recordings')
}
