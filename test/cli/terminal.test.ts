import { describe, expect, it } from 'vitest'
import { ProgressPrinter } from '../../main/cli/progress-printer.ts'
import { Terminal } from '../../main/cli/terminal.ts'
import { emptyCounts, type ExportProgress } from '../../main/common/progress.ts'

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J'

/** A stream that keeps what reaches it, in order, tagged by stream. */
function recorder(isTTY: boolean) {
  const writes: string[] = []
  const make = (tag: string) => ({ isTTY, columns: 120, write: (t: string) => writes.push(`${tag}${t}`) })
  return { writes, out: make('out:'), err: make('err:') }
}

const progress: ExportProgress = { id: '/out', state: 'running', counts: { ...emptyCounts(), total: 4, done: 1 }, bytes: 10, bytesPerSecond: 5, etaSeconds: null, failures: [] }

describe('the CLI terminal', () => {
  it('shows control characters from any write instead of running them, keeping line feeds', () => {
    const r = recorder(false)
    const t = new Terminal(r.out, r.err)
    t.stderr.write(`warn: ${HOSTILE}\n`)
    t.stdout.write('{"m":"\u009b2J"}\n')
    expect(r.writes).toEqual(['err:warn: \\u001b]0;pwned\\u0007\\u001b[2J\n', 'out:{"m":"\\u009b2J"}\n'])
    expect(t.stderr.statusLine).toBeUndefined()
  })

  it('clears the progress bar before another line and draws it again below', () => {
    const r = recorder(true)
    const t = new Terminal(r.out, r.err)
    const printer = new ProgressPrinter(t.stderr)
    printer.update(progress)
    const bar = r.writes[0]!
    expect(bar).toMatch(/^err:\r\u001b\[2K\[#+\.+\] 1\/4 files/)
    t.stderr.write('warn: something\n')
    expect(r.writes.slice(1)).toEqual(['err:\r\u001b[2K', 'err:warn: something\n', bar.replace('\r\u001b[2K', '')])
    t.stdout.write('summary\n')
    expect(r.writes.slice(4)).toEqual(['err:\r\u001b[2K', 'out:summary\n', bar.replace('\r\u001b[2K', '')])
    printer.end()
    expect(r.writes.at(-1)).toBe('err:\n')
    t.stderr.write('after\n')
    expect(r.writes.at(-1)).toBe('err:after\n')
  })

  it('makes a hostile line drawn as the bar safe too', () => {
    const r = recorder(true)
    const t = new Terminal(r.out, r.err)
    t.stderr.statusLine!.draw(`listing ${HOSTILE}`)
    expect(r.writes).toEqual(['err:\r\u001b[2Klisting \\u001b]0;pwned\\u0007\\u001b[2J'])
  })
})
