import { cpus, loadavg, release, totalmem, type as osType } from 'node:os'
import { spawnSync } from 'node:child_process'

/** What the figures were measured on: they mean little without it. */
export function machineLines(): string[] {
  const cpu = cpus()
  const aria = spawnSync('aria2c', ['--version'], { encoding: 'utf8' })
  const ariaVersion = aria.status === 0 ? (aria.stdout.split('\n')[0] ?? '').trim() : 'aria2c not installed'
  return [
    `date     ${new Date().toISOString()}`,
    `cpu      ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    `memory   ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `os       ${osType()} ${release()}`,
    `node     ${process.version}`,
    `peer     ${ariaVersion}`,
    `load     ${loadLine()}`,
  ]
}

/** Other work on the machine skews every figure: said before and after the run. */
export function loadLine(): string {
  return `${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min averages, ${cpus().length} CPUs)`
}
