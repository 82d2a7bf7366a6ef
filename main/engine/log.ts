import { redact } from '../common/redact.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Where engine lines go: a file in the app, stderr in the CLI, an array in tests. */
export type LogSink = (level: LogLevel, line: string) => void

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** Every line passes through `redact`, so no caller can leak a signed URL or a key by mistake. */
export function createLogger(sink: LogSink): Logger {
  const at = (level: LogLevel) => (message: string) => sink(level, redact(message))
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export const silentLogger: Logger = createLogger(() => undefined)
