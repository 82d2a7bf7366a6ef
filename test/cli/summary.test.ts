import { describe, expect, it } from 'vitest'
import { ProgressPrinter, progressLine } from '../../main/cli/progress-printer.ts'
import { cliLocale, exitCodeFor, explained, formatSummary, summarize } from '../../main/cli/summary.ts'
import { ERROR_CATALOG } from '../../main/common/error-catalog.ts'
import { emptyCounts, type ExportProgress } from '../../main/common/progress.ts'

const p = (over: Partial<ExportProgress>): ExportProgress => ({
  id: '/out',
  state: 'finished',
  counts: { ...emptyCounts(), total: 4, done: 4 },
  bytes: 4096,
  bytesPerSecond: 2048,
  etaSeconds: null,
  failures: [],
  ...over,
})

describe('exit codes', () => {
  it('follow the contract', () => {
    expect(exitCodeFor(p({}))).toBe(0)
    expect(exitCodeFor(p({ counts: { ...emptyCounts(), total: 4, done: 3, failed: 1 } }))).toBe(3)
    expect(exitCodeFor(p({ state: 'stopped', reason: { code: 'OssNotOpen', message: '' } }))).toBe(4)
    expect(exitCodeFor(p({ state: 'paused', reason: { code: 'DiskFull', message: '' } }))).toBe(4)
    expect(exitCodeFor(p({ state: 'paused' }))).toBe(130)
  })
})

describe('summary and progress lines', () => {
  it('explains failures by code in the terminal’s language', () => {
    const failed = p({ counts: { ...emptyCounts(), total: 4, done: 3, failed: 1 }, failures: [{ code: 'NotExist.Record', count: 1, sample: 'x' }] })
    const zh = summarize(failed, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, cliLocale({ LANG: 'zh_CN.UTF-8' }))
    expect(zh.failures[0]?.meaning).toBe('通话录音不存在')
    const text = formatSummary(summarize(failed, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, 'en'))
    expect(text).toMatch(/Finished: 3 of 4 verified on disk, 1 failed/)
    // The bytes are the export's on disk, not this run's: no "in 3s" to read as a speed.
    expect(text).toMatch(/ skipped \(4(\.0)? KB on disk; this run took 3 ?s\)\n/)
    expect(text).toMatch(/NotExist\.Record\s+1\s+The recording does not exist/)
    expect(text).toMatch(/^Report: \/out\/report\.csv$/m)
    const stale = formatSummary({ ...summarize(failed, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, 'en'), reportStale: true })
    expect(stale).toMatch(/^Report: \/out\/report\.csv \(not updated: it could not be written at the end of this run; the next run writes it\)$/m)
  })

  it('advises what a terminal user can do: resume --retry <code>, never the app\'s "retry the group"', () => {
    const meta = { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const code of Object.keys(ERROR_CATALOG)) {
        const failed = p({ counts: { ...emptyCounts(), total: 1, failed: 1 }, failures: [{ code, count: 1, sample: 'x' }] })
        const text = formatSummary(summarize(failed, meta, locale))
        expect(text, `${code} ${locale}`).not.toMatch(/retry the group|对该组重试/i)
        // The app's File → Export diagnostics has no command: the terminal is told of its debug output.
        if (!code.startsWith('Ipc.') && !code.startsWith('Shell.')) expect(text, `${code} ${locale}`).not.toMatch(/export diagnostics|导出诊断/i)
      }
    }
    const inTheWay = p({ counts: { ...emptyCounts(), total: 1, failed: 1 }, failures: [{ code: 'Local.FileInTheWay', count: 1, sample: 'x' }] })
    expect(formatSummary(summarize(inTheWay, meta, 'en'))).toContain('then run resume <dir> --retry Local.FileInTheWay.')
    const odd = p({ counts: { ...emptyCounts(), total: 1, failed: 1 }, failures: [{ code: 'Parameter.Null', count: 1, sample: 'x' }] })
    expect(formatSummary(summarize(odd, meta, 'en'))).toContain('Run again with CCC_RECORDINGS_DEBUG=1 and report what it prints.')
    expect(formatSummary(summarize(odd, meta, 'zh-CN'))).toContain('请设置 CCC_RECORDINGS_DEBUG=1 再运行一次，并反馈其输出')
    // A Chinese explanation reads as Chinese sentences: no English full stop between them.
    const cut = p({ counts: { ...emptyCounts(), total: 1, failed: 1 }, failures: [{ code: 'BodyTruncated', count: 1, sample: 'x' }] })
    expect(formatSummary(summarize(cut, meta, 'zh-CN'))).toMatch(/下载中断，文件不完整。\S/)
    expect(formatSummary(summarize(cut, meta, 'en'))).toMatch(/[a-z]\. [A-Z]/)
    // Also a Chinese meaning that ends in a Latin word.
    expect(explained({ meaning: '读取失败：不是有效的 CSV', action: '请另存为 CSV。' })).toBe('读取失败：不是有效的 CSV。请另存为 CSV。')
  })

  it('after the network never came back, says resume, not "correct what is named above"', () => {
    const gaveUp = p({ state: 'stopped', reason: { code: 'Network.GaveUp', message: 'no network for 4h' } })
    const text = formatSummary(summarize(gaveUp, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, 'en'))
    expect(text).toContain('Continue once the network is back: ccc-recordings resume /out\n')
    expect(text).not.toContain('Correct what is named above')
  })

  it.each([
    { code: 'SignatureDoesNotMatch', next: 'Correct the AccessKey where this run took it from (the profile, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET variables), then continue: ccc-recordings resume /out (--profile <name> for another profile)' },
    { code: 'InvalidAccessKeyId.NotFound', next: 'Correct the AccessKey where this run took it from' },
    { code: 'InvalidSecurityToken.Expired', next: 'Correct the AccessKey where this run took it from' },
    { code: 'Forbidden.RAM', next: 'Correct what is named above, then continue: ccc-recordings resume /out\n' },
    { code: 'OssNotOpen', next: 'Correct what is named above, then continue: ccc-recordings resume /out\n' },
    { code: 'Network.ProxyAuth', next: 'Correct what is named above, then continue: ccc-recordings resume /out\n' },
    { code: 'NotExist.Instance', next: 'ccc-recordings resume /out --instance <id> (or --region, --endpoint, --profile)' },
  ])('after a $code stop, names where it is mended', ({ code, next }) => {
    const stopped = p({ state: 'stopped', reason: { code, message: 'm' } })
    expect(formatSummary(summarize(stopped, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, 'en'))).toContain(next)
  })

  it('after a stop of this computer, names the file and says resume, not a connection setting', () => {
    const refused = p({ state: 'stopped', reason: { code: 'Local.WriteFailed', message: 'Could not move into place /out/a.wav (EPERM)' } })
    const text = formatSummary(summarize(refused, { outDir: '/out', instanceId: 'i', elapsedSeconds: 3, report: '/out/report.csv' }, 'en'))
    expect(text).toContain('Local.WriteFailed: Cannot write to the output folder. Check folder permissions, or choose another output folder.\n  Could not move into place /out/a.wav (EPERM)\n')
    expect(text).toContain('Correct what is named above on this computer, then continue: ccc-recordings resume /out\n')
    expect(text).not.toContain('--instance')
  })

  it('says when the export waits for the network', () => {
    const at = new Date(2026, 11, 4, 9, 5).toISOString()
    expect(progressLine(p({ state: 'running', network: { waitingSince: at } }))).toMatch(/^waiting for network since 09:05 \(files keep their attempts\) · /)
    const dns = progressLine(p({ state: 'running', network: { waitingSince: at, lastFailure: 'DownloadRecording: ENOTFOUND: getaddrinfo ENOTFOUND ccc.x' } }))
    expect(dns).toMatch(/^waiting for network since 09:05 \(files keep their attempts; last: DownloadRecording: ENOTFOUND: getaddrinfo ENOTFOUND ccc\.x\) · /)
  })

  it('shows listing while the total still grows, and prints quietly off a terminal', () => {
    expect(progressLine(p({ state: 'listing', listing: { pages: 3, found: 250 } }))).toMatch(/^listing: 3 pages, 250 found · /)
    const lines: string[] = []
    let now = 0
    const printer = new ProgressPrinter({ isTTY: false, write: (t) => lines.push(t) }, () => now)
    printer.update(p({ state: 'running' }))
    now = 1000
    printer.update(p({ state: 'running' }))
    now = 6000
    printer.update(p({ state: 'running' }))
    expect(lines).toHaveLength(2)
  })
})
