import { CccError } from '../common/errors.ts'

/** architecture.md, "The CLI (contract)": scripts branch on these. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  someFailed: 3,
  fatal: 4,
  interrupted: 130,
} as const

/** Bad usage or bad input, found before anything started: exit 2 with one line. */
export class UsageError extends CccError {
  declare readonly code: 'Usage'

  constructor(message: string, options?: { cause?: unknown }) {
    super({ code: 'Usage', message, ...(options?.cause === undefined ? {} : { cause: options.cause }) })
    this.name = 'UsageError'
  }
}
