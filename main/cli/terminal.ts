import { terminalSafe } from '../common/terminal-text.ts'

/** A process stream as the terminal sees it. */
export interface RawStream {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** A line redrawn in place at the bottom of a terminal (the progress bar). */
export interface StatusLine {
  draw(line: string): void
  /** Leaves the last line drawn where it is and moves below it. */
  end(): void
}

const CLEAR_LINE = '\r\x1b[2K'

/**
 * stdout and stderr of the CLI. Everything written is made safe for the terminal (control
 * characters from servers, lists and paths are shown, not run); only the status line writes
 * escape sequences, its own. Any other write while a status line is drawn clears it first and
 * draws it again below, so a `warn:` line is never printed into the middle of the bar.
 */
export class Terminal {
  private live: string | undefined
  /** The cursor is after text of a write that did not end its line. */
  private midLine = false

  readonly stdout: { write(text: string): unknown; isTTY?: boolean }
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number; statusLine?: StatusLine }

  constructor(
    private readonly rawOut: RawStream,
    private readonly rawErr: RawStream,
  ) {
    this.stdout = { write: (text: string) => this.write(rawOut, text), isTTY: rawOut.isTTY === true }
    const statusLine = this.statusLine()
    this.stderr = {
      write: (text: string) => this.write(rawErr, text),
      isTTY: rawErr.isTTY === true,
      ...(rawErr.columns === undefined ? {} : { columns: rawErr.columns }),
      ...(statusLine ? { statusLine } : {}),
    }
  }

  private write(to: RawStream, text: string): unknown {
    const safe = terminalSafe(text, { newlines: true })
    if (this.live === undefined) {
      this.midLine = safe !== '' && !safe.endsWith('\n')
      return to.write(safe)
    }
    this.rawErr.write(CLEAR_LINE)
    const result = to.write(safe)
    if (safe.endsWith('\n')) this.rawErr.write(this.live)
    else this.live = undefined
    this.midLine = !safe.endsWith('\n')
    return result
  }

  private statusLine(): StatusLine | undefined {
    if (this.rawErr.isTTY !== true) return undefined
    return {
      draw: (line) => {
        // Someone's unfinished line (a prompt) is left alone: the bar starts below it.
        const prefix = this.midLine ? '\n' : ''
        this.midLine = false
        this.live = terminalSafe(line)
        this.rawErr.write(`${prefix}${CLEAR_LINE}${this.live}`)
      },
      end: () => {
        if (this.live === undefined) return
        this.live = undefined
        this.rawErr.write('\n')
      },
    }
  }
}
