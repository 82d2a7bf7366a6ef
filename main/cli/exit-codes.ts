import { CccError, isCccError } from '../common/errors.ts'

/** architecture.md, "The CLI (contract)": scripts branch on these. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  someFailed: 3,
  fatal: 4,
  interrupted: 130,
  /** Paused by SIGTERM (a service manager, `kill`): 128 + 15, as a shell reports it. */
  terminated: 143,
} as const

/** A pause asked for by a signal exits as the shell would report that signal: 130 for Ctrl-C, 143 for SIGTERM. */
export function interruptedBy(signal: NodeJS.Signals | undefined): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
}

/** Bad usage or bad input, found before anything started: exit 2 with one line. */
export class UsageError extends CccError {
  declare readonly code: 'Usage'

  constructor(message: string, options?: { cause?: unknown }) {
    super({ code: 'Usage', message, ...(options?.cause === undefined ? {} : { cause: options.cause }) })
    this.name = 'UsageError'
  }
}

/** Catalog areas (the code before its dot) that mean "the input or set-up is wrong, nothing was started". */
const INPUT_AREAS: ReadonlySet<string> = new Set(['Usage', 'Import', 'Source', 'Template', 'Filter', 'Credentials', 'Profiles', 'Keychain'])
/** An export folder that cannot be used as asked: also bad input, found before anything started. */
const INPUT_CODES: ReadonlySet<string> = new Set(['Export.Conflict', 'Export.InUse', 'Export.NotFound', 'Export.ListNotRecorded', 'Export.Busy', 'Export.OutputUnusable'])

/** True for an error the CLI reports as bad usage or input (exit 2, one line): decided by its code alone. */
export function isInputError(e: unknown): e is CccError {
  return isCccError(e) && (INPUT_CODES.has(e.code) || INPUT_AREAS.has(e.code.split('.', 1)[0]!))
}
