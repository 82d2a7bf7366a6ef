import { catalogEntry, type Locale } from '../common/error-catalog.ts'
import { formatBytes, formatDuration } from '../common/format.ts'
import type { ExportProgress } from '../common/progress.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { isTransient } from '../engine/export/decide.ts'
import { EXIT } from './exit-codes.ts'

export interface Summary {
  readonly state: ExportProgress['state']
  readonly exitCode: number
  readonly outDir: string
  readonly instanceId: string
  readonly counts: ExportProgress['counts']
  readonly bytes: number
  readonly elapsedSeconds: number
  readonly failures: readonly { code: string; count: number; meaning: string; action: string; sample: string }[]
  readonly reason?: { code: string; message: string; meaning: string; action: string }
  readonly report: string
  /** report.csv could not be written at this run's end (a full disk): what is there, if anything, is older. */
  readonly reportStale?: true
  /** Of `counts.failed`, those an earlier run of a sync reported and this one did not try again. */
  readonly failedEarlier?: number
  /**
   * Of `counts.failed`, those that failed for a passing reason (network, timeout, server busy)
   * after every try this run allowed: the next `resume` or sync tries them again by itself.
   */
  readonly retryable?: number
}

/** architecture.md's exit codes, from how the export ended. */
export function exitCodeFor(p: ExportProgress): number {
  switch (p.state) {
    case 'finished':
      return p.counts.failed > 0 ? EXIT.someFailed : EXIT.ok
    case 'stopped':
      return EXIT.fatal
    case 'paused':
      // A pause the user did not ask for (a full disk) needs them as much as a fatal code does.
      return p.reason ? EXIT.fatal : EXIT.interrupted
    default:
      return EXIT.interrupted
  }
}

/**
 * The catalog's advice as a terminal user can follow it: "retry the group" is the app's button,
 * `resume <dir> --retry <code>` the command line's, for a download and a sync folder alike.
 */
export function actionForTerminal(action: string, code: string): string {
  const retry = `resume <dir> --retry ${code}`
  // The app's File → Export diagnostics; the command line's is its debug output, redacted.
  const debug = 'again with CCC_RECORDINGS_DEBUG=1 and report what it prints'
  return action
    .replace(/\bRetry the group\b/g, `Run ${retry}`)
    .replace(/\bretry the group\b/g, `run ${retry}`)
    .replaceAll('对该组重试', `运行 ${retry} 重试`)
    .replace(/\bExport diagnostics and report it\b/g, `Run ${debug}`)
    .replace(/\bexport diagnostics and report it\b/g, `run ${debug}`)
    .replaceAll('导出诊断信息并反馈', '设置 CCC_RECORDINGS_DEBUG=1 再运行一次，并反馈其输出')
}

export function summarize(p: ExportProgress, meta: { outDir: string; instanceId: string; elapsedSeconds: number; report: string }, locale: Locale): Summary {
  const explain = (code: string) => {
    const entry = catalogEntry(code)
    return { meaning: entry.meaning, action: { en: actionForTerminal(entry.action.en, code), 'zh-CN': actionForTerminal(entry.action['zh-CN'], code) } }
  }
  return {
    state: p.state,
    exitCode: exitCodeFor(p),
    outDir: meta.outDir,
    instanceId: meta.instanceId,
    counts: p.counts,
    bytes: p.bytes,
    elapsedSeconds: Math.round(meta.elapsedSeconds * 10) / 10,
    failures: p.failures.map((f) => ({ ...f, meaning: explain(f.code).meaning[locale], action: explain(f.code).action[locale] })),
    ...(p.reason
      ? { reason: { code: p.reason.code, message: p.reason.message, meaning: explain(p.reason.code).meaning[locale], action: explain(p.reason.code).action[locale] } }
      : {}),
    report: meta.report,
    ...retryableOf(p.failures),
  }
}

/** How many failed for a passing reason, when any did: the catalog's "retried automatically" is over for them in this run. */
export function retryableOf(failures: readonly { readonly code: string; readonly count: number }[]): { retryable?: number } {
  const n = failures.reduce((sum, f) => sum + (isTransient(f.code) ? f.count : 0), 0)
  return n > 0 ? { retryable: n } : {}
}

/** The line that says so, with what tries them again: `resume` for a download, the next night for a sync. */
export function retryableLine(n: number, goOn: string): string {
  return `${n === 1 ? '1 of these' : `${n} of these`} failed for a passing reason (the network, a busy server, a damaged transfer) after every try allowed: ${goOn} tries ${n === 1 ? 'it' : 'them'} again`
}

/**
 * A sync's summary: failures an earlier night reported and this one did not try again are still
 * listed, but the exit code is this night's (3 only when something failed tonight).
 */
export function withEarlierFailures(s: Summary, failedEarlier: number): Summary {
  if (failedEarlier === 0) return s
  const tonight = s.counts.failed - failedEarlier
  return { ...s, failedEarlier, exitCode: s.exitCode === EXIT.someFailed && tonight === 0 ? EXIT.ok : s.exitCode }
}

/**
 * What the summary tells the user to run next, given the export's folder. `download` and `resume`
 * continue with `resume`; `sync` has its own, as its settings live in sync.json.
 */
export interface NextSteps {
  /** After an export-fatal stop (`code` says why): where the setting named is corrected. */
  stopped(outDir: string, code: string | undefined): string
  /** After a pause or an interruption. */
  unfinished(outDir: string): string
  /** What tries again the files that failed for a passing reason (retryableLine). */
  retries(outDir: string): string
}

/** Stops that only another API generation mends: resume keeps the folder's, so the download is run again. */
const GENERATION_STOPS: ReadonlySet<string> = new Set(['Api.InstanceIsV1', 'Api.InstanceIsV2'])

/** Stops that pass by themselves (the network never came back in time): nothing to correct. */
const PASSING_STOPS: ReadonlySet<string> = new Set(['Network.GaveUp'])

/** Stops mended outside the folder's settings (a grant, a console switch, the clock, the proxy): a plain resume then goes on. */
const MENDED_ELSEWHERE: ReadonlySet<string> = new Set(['Forbidden.RAM', 'NoPermission', 'OssNotOpen', 'InvalidTimeStamp.Expired', 'InvalidTimeStamp.Format', 'Network.ProxyAuth'])

/**
 * Where a stop is mended, which decides what the summary says to run next: another API
 * generation, nothing (the network), this computer, the AccessKey (where the run took it from:
 * the folder's instance is still right), something outside the folder's settings, or one of them
 * (instance, region, endpoint).
 */
export function stopKind(code: string | undefined): 'generation' | 'passing' | 'local' | 'key' | 'elsewhere' | 'setting' {
  if (code === undefined) return 'setting'
  if (GENERATION_STOPS.has(code)) return 'generation'
  if (PASSING_STOPS.has(code)) return 'passing'
  if (isLocalStop(code)) return 'local'
  if (code.startsWith('InvalidAccessKeyId.') || code.startsWith('InvalidSecurityToken.') || ['SignatureDoesNotMatch', 'IncompleteSignature', 'MissingSecurityToken'].includes(code)) return 'key'
  if (MENDED_ELSEWHERE.has(code)) return 'elsewhere'
  return 'setting'
}

/** Stops of this computer (the output folder's permissions, a drive gone): no connection setting mends them. */
function isLocalStop(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('Local.') || code === 'DiskFull')
}

export const RESUME_STEPS: NextSteps = {
  stopped: (outDir, code) => {
    const resume = `ccc-recordings resume ${quoteArg(outDir)}`
    switch (stopKind(code)) {
      case 'generation':
        return `Run the download again with the API version named above (--api-version, or a profile of that version) into ${quoteArg(outDir)}; resume keeps the folder's version`
      case 'passing':
        return `Continue once the network is back: ${resume}`
      case 'local':
        return `Correct what is named above on this computer, then continue: ${resume}`
      case 'key':
        return `Correct the AccessKey where this run took it from (the profile, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET variables), then continue: ${resume} (--profile <name> for another profile)`
      case 'elsewhere':
        return `Correct what is named above, then continue: ${resume}`
      case 'setting':
        return `Correct what is named above, then run the download again with the corrected setting, or: ${resume} --instance <id> (or --region, --endpoint, --profile)`
    }
  },
  unfinished: (outDir) => `Continue with: ccc-recordings resume ${quoteArg(outDir)}`,
  retries: (outDir) => `ccc-recordings resume ${quoteArg(outDir)}`,
}

/** For a terminal: codes and paths come from servers and users, so each is one safe field. */
export function formatSummary(s: Summary, next: NextSteps = RESUME_STEPS): string {
  const c = s.counts
  const safe = (text: string): string => terminalSafe(text)
  const lines: string[] = []
  const head =
    s.state === 'finished'
      ? 'Finished'
      : s.state === 'stopped'
        ? 'Stopped'
        : s.state === 'paused'
          ? 'Paused'
          : s.state === 'cancelled'
            ? 'Cancelled'
            : 'Interrupted'
  const restoring = c.restoring > 0 ? `, ${c.restoring} restoring from archive` : ''
  // The bytes are the export's on disk, earlier runs' included: "in 5s" beside them read as a speed this run never had.
  lines.push(`${head}: ${c.done} of ${c.total} verified on disk, ${c.failed} failed, ${c.skipped} skipped${restoring} (${formatBytes(s.bytes)} on disk; this run took ${formatDuration(s.elapsedSeconds)})`)
  if (s.reason) {
    lines.push(`${safe(s.reason.code)}: ${explained(s.reason)}`)
    // Which file, folder or setting, and the system's word for it (EPERM): the meaning alone names none.
    if (s.reason.message) lines.push(`  ${safe(s.reason.message)}`)
  }
  if (s.failures.length > 0) {
    lines.push('Failures by code:')
    const width = Math.max(...s.failures.map((f) => safe(f.code).length))
    for (const f of s.failures) lines.push(`  ${safe(f.code).padEnd(width)}  ${String(f.count).padStart(6)}  ${explained(f)}`)
  }
  if (s.failedEarlier) {
    const all = s.failedEarlier === c.failed
    lines.push(`${all ? 'All' : s.failedEarlier} of these failed on an earlier run and were not tried again in this one${s.exitCode === EXIT.ok ? ': they do not make this run\'s exit code 3' : ''}`)
  }
  // The catalog says "retried automatically" of these codes: in this run that is over.
  if (s.retryable && s.state !== 'cancelled') lines.push(safe(retryableLine(s.retryable, next.retries(s.outDir))))
  // An export-fatal stop fails the same way on resume: the setting is what needs changing.
  if (s.state === 'stopped') lines.push(safe(next.stopped(s.outDir, s.reason?.code)))
  else if (s.state !== 'finished' && s.state !== 'cancelled') lines.push(safe(next.unfinished(s.outDir)))
  lines.push(`Report: ${safe(s.report)}${s.reportStale ? ' (not updated: it could not be written at the end of this run; the next run writes it)' : ''}`)
  return `${lines.join('\n')}\n`
}

/** A code's meaning and action as one text: a Chinese meaning (even one ending in "CSV" or "ID") ends with 。. */
export function explained(e: { readonly meaning: string; readonly action: string }): string {
  return /[\u4e00-\u9fff]/.test(e.meaning) ? `${e.meaning}。${e.action}` : `${e.meaning}. ${e.action}`
}

/** "1 file that failed … is tried again", "3 files … are": the retry lines of download, resume and sync. */
export function triedAgain(n: number, what: 'files' | 'files or contact lookups', why = ''): string {
  const noun = n !== 1 ? what : what === 'files' ? 'file' : 'file or contact lookup'
  return `${n} ${noun} that failed${why} ${n === 1 ? 'is' : 'are'} tried again`
}

/** A path as one shell argument, to copy into a command line. */
export function quoteArg(path: string): string {
  return /^[\w./:\\-]+$/.test(path) ? path : `"${path.replaceAll('"', '\\"')}"`
}

/** zh-CN meanings for users whose terminal speaks Chinese, English otherwise. */
export function cliLocale(env: Readonly<Record<string, string | undefined>>): Locale {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^zh/i.test(lang) ? 'zh-CN' : 'en'
}
