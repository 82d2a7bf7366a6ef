import { CONFIG_DIR_ENV } from '../credentials/config-dir.ts'
import type { SyncJob } from './sync-job.ts'

export const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export const launchdLabel = (name: string): string => `com.ccc-recordings.${name}`

/** A launchd agent (~/Library/LaunchAgents): the program and arguments, daily at the local time, output to the log. */
export function launchdPlist(job: SyncJob): string {
  const s = (v: string) => `<string>${xmlText(v)}</string>`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${s(launchdLabel(job.name))}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...job.argv.map((a) => `    ${s(a)}`),
    '  </array>',
    ...(job.configDir === undefined ? [] : ['  <key>EnvironmentVariables</key>', `  <dict><key>${CONFIG_DIR_ENV}</key>${s(job.configDir)}</dict>`]),
    '  <key>StartCalendarInterval</key>',
    `  <dict><key>Hour</key><integer>${job.hour}</integer><key>Minute</key><integer>${job.minute}</integer></dict>`,
    `  <key>StandardOutPath</key>${s(job.outFile)}`,
    `  <key>StandardErrorPath</key>${s(job.outFile)}`,
    '  <key>ProcessType</key><string>Background</string>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n')
}
