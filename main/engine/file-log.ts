import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { redact } from '../common/redact.ts'
import type { LogSink } from './log.ts'

// One rotation keeps a week of nights without growing without bound.
const ROTATE_AT = 5 * 1024 * 1024

/**
 * A log file for the desktop app and a scheduled sync: synchronous appends (a crash must not lose
 * the line that explains it), rotated once at 5 MB. Redacted here as well as by createLogger: a
 * sync's log also takes the lines it prints, which no logger saw.
 */
export function fileLogSink(file: string, now: () => Date = () => new Date()): LogSink {
  mkdirSync(dirname(file), { recursive: true })
  return (level, line) => {
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > ROTATE_AT) renameSync(file, file.replace(/(\.log)?$/, '.previous.log'))
      appendFileSync(file, `${now().toISOString()} ${level} ${redact(line)}\n`)
    } catch {
      // Logging must never take the app down.
    }
  }
}
