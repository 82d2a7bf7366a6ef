import { homedir, tmpdir } from 'node:os'
import { processRunner } from '../engine/schedule/command-runner.ts'
import { findCommandLine } from '../engine/schedule/find-cli.ts'
import { logDir } from '../engine/schedule/sync-job.ts'
import type { SyncPorts } from './handlers/context.ts'

/**
 * The real machine for History's nightly sync: this OS's scheduler tools, found on the app's PATH,
 * and the command line the job runs (the packaged app cannot run it itself; a checkout can use
 * its own bin). Looked up at each use, so installing the CLI while the app is open is noticed.
 */
export function desktopSyncPorts(checkoutBin: string | undefined): SyncPorts {
  const env = process.env
  const home = homedir()
  const uid = process.getuid?.()
  // An app started from Finder gets launchd's PATH (/usr/bin:/bin:…), without where npm and Homebrew install.
  const searchEnv = process.platform === 'darwin' ? { ...env, PATH: [env.PATH, '/usr/local/bin', '/opt/homebrew/bin'].filter(Boolean).join(':') } : env
  return {
    scheduler: { platform: process.platform, home, env, runner: processRunner(env), tempDir: tmpdir(), ...(uid === undefined ? {} : { uid }) },
    program: () => findCommandLine(searchEnv, process.platform, checkoutBin),
    logs: logDir(process.platform, env, home),
  }
}
