import { spawn } from 'node:child_process'

export interface CommandResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * How schedules reach the system's own tools (systemctl, crontab, launchctl, schtasks): a port,
 * so tests run the real thing against a temp HOME and a PATH of their own.
 */
export interface CommandRunner {
  run(command: string, args: readonly string[], input?: string): Promise<CommandResult>
}

/** Runs commands as child processes with `env` (its PATH finds them); a missing tool is exit 127. */
export function processRunner(env: Readonly<Record<string, string | undefined>>): CommandRunner {
  return {
    run: (command, args, input) =>
      new Promise((resolve) => {
        const child = spawn(command, [...args], { env: env as NodeJS.ProcessEnv, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true })
        let stdout = ''
        let stderr = ''
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
        child.once('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }))
        child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
        // A tool that exits without reading its input is its answer, not a crash of ours.
        child.stdin?.on('error', () => undefined)
        child.stdin?.end(input)
      }),
  }
}
