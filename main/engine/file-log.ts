import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { LogSink } from './log.ts'

// One rotation keeps a week of nights without growing without bound.
const ROTATE_AT = 5 * 1024 * 1024

/**
 * A log file for the desktop app: synchronous appends (a crash must not lose the line that
 * explains it), rotated once at 5 MB. Lines arrive already redacted by createLogger.
 */
export function fileLogSink(file: string, now: () => Date = () => new Date()): LogSink {
  mkdirSync(dirname(file), { recursive: true })
  return (level, line) => {
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > ROTATE_AT) renameSync(file, file.replace(/(\.log)?$/, '.previous.log'))
      appendFileSync(file, `${now().toISOString()} ${level} ${line}\n`)
    } catch {
      // Logging must never take the app down.
    }
  }
}
