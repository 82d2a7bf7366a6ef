import { setTimeout as sleep } from 'node:timers/promises'
import type { FileRow, Method } from '../../main/common/api.ts'
import type { JobKind } from '../../main/common/job.ts'
import { emptyCounts } from '../../main/common/progress.ts'
import { findBrowser, NO_BROWSER } from '../../test/e2e/browser.ts'
import type { BenchContext } from './download.ts'
import { count, type Row } from './report.ts'

/**
 * e: the built renderer in Chromium with a 100,000-file export while progress streams in at ten
 * events a second (what the engine sends at most) and the file list is scrolled every frame, with
 * a jump to another part of the list every second. The page measures itself: PerformanceObserver
 * 'longtask' (main-thread tasks over 50 ms) and a requestAnimationFrame counter (frames a second,
 * the longest gap between two frames).
 *
 * It reuses the end-to-end harness (test/e2e/harness.ts): the renderer built with Vite, served on
 * 127.0.0.1, `window.ccc` answered by the in-memory twin of the API (test/renderer/fake-api.ts),
 * so what is measured is the renderer alone, not the engine behind it.
 */

const ROW_HEIGHT = 32

interface PageStats {
  readonly longTasks: number
  readonly longestTaskMs: number
  readonly frames: number
  readonly elapsedMs: number
  readonly longestFrameGapMs: number
}

interface BenchWindow {
  __bench: { longTasks: number[]; frames: number; last: number; maxGap: number; started: number; running: boolean }
}

function stateOf(i: number): JobKind {
  if (i % 97 === 0) return 'failed'
  return i % 3 === 0 ? 'done' : 'queued'
}

export async function benchE(ctx: BenchContext): Promise<Row[]> {
  const label = 'renderer: 100,000 rows, progress at 10/s, scrolling'
  if (findBrowser() === undefined) return [{ section: 'e', what: label, figure: `skipped: ${NO_BROWSER}` }]
  const total = ctx.quick ? 10_000 : 100_000
  const seconds = ctx.quick ? 3 : 10
  // Loaded here: Vite, esbuild and Playwright are only needed for this part.
  const { openApp } = await import('../../test/e2e/harness.ts')
  const { fakeApi, PROFILE, progress, summary } = await import('../../test/renderer/fake-api.ts')

  const files: FileRow[] = Array.from({ length: total }, (_, i) => {
    const state = stateOf(i)
    const name = `${1_790_000_000_000 + i * 7_000}${String(i).padStart(11, '0')}.wav`
    if (state === 'failed') return { name, state, bytes: 0, error: { code: 'NotExist.Record', message: 'The specified recording does not exist.' } }
    return state === 'done' ? { name, state, bytes: 300 * 1024, localPath: `/recordings/${name}` } : { name, state, bytes: 0 }
  })
  const counts = { ...emptyCounts(), total }
  for (const f of files) counts[f.state]++
  const fake = fakeApi({ profiles: [PROFILE], history: [summary({ counts: { ...counts }, bytes: counts.done * 300 * 1024 })], files })
  const handlers = (method: Method, request: unknown): Promise<unknown> => (fake.api[method] as (r: unknown) => Promise<unknown>)(request)

  const app = await openApp({ handlers, locale: 'en', viewport: { width: 1280, height: 800 } })
  try {
    const { page } = app
    await page.getByRole('list', { name: 'Files' }).getByText(files[0]!.name, { exact: true }).waitFor()
    const listCallsBefore = fake.callsTo('export:files').length
    // A string, not a function: tsx's transform names functions with a helper the page lacks.
    await page.evaluate(`(() => {
      const rowHeight = ${ROW_HEIGHT}, rows = ${total}
      const stats = { longTasks: [], frames: 0, last: 0, maxGap: 0, started: performance.now(), running: true }
      window.__bench = stats
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) stats.longTasks.push(e.duration)
      }).observe({ type: 'longtask', buffered: false })
      const viewport = document.querySelector('[data-testid="file-viewport"]')
      if (!viewport) throw new Error('no file viewport')
      function frame(now) {
        if (!stats.running) return
        if (stats.last > 0) stats.maxGap = Math.max(stats.maxGap, now - stats.last)
        stats.last = now
        stats.frames++
        // Four rows a frame, and once a second a jump elsewhere, as a user drags the scrollbar.
        if (stats.frames % 60 === 0) viewport.scrollTop = ((stats.frames * 7919) % rows) * rowHeight
        else viewport.scrollTop += rowHeight * 4
        requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
    })()`)

    // Progress at the engine's pace: ten a second, files finishing in between.
    const started = Date.now()
    let done = counts.done
    let queued = counts.queued
    for (let tick = 1; Date.now() - started < seconds * 1000; tick++) {
      const step = Math.min(queued, 40)
      done += step
      queued -= step
      await app.emit(
        'export:progress',
        progress({
          counts: { ...counts, done, queued, downloading: Math.min(8, queued) },
          bytes: done * 300 * 1024,
          bytesPerSecond: 40 * 10 * 300 * 1024,
          etaSeconds: Math.ceil(queued / 400),
        }),
      )
      const wait = started + tick * 100 - Date.now()
      if (wait > 0) await sleep(wait)
    }

    const measured: PageStats = await page.evaluate(() => {
      const s = (window as unknown as BenchWindow).__bench
      s.running = false
      return {
        longTasks: s.longTasks.length,
        longestTaskMs: s.longTasks.reduce((a, b) => Math.max(a, b), 0),
        frames: s.frames,
        elapsedMs: performance.now() - s.started,
        longestFrameGapMs: s.maxGap,
      }
    })
    const problems = await app.problems()
    if (problems.length > 0) throw new Error(`the page reported problems: ${problems.slice(0, 3).join('; ')}`)
    const fps = measured.frames / (measured.elapsedMs / 1000)
    const listRequests = fake.callsTo('export:files').length - listCallsBefore
    ctx.log(
      `e  ${count(total)} rows, ${seconds} s: ${measured.longTasks} long tasks, longest ${measured.longestTaskMs.toFixed(0)} ms; ` +
        `${fps.toFixed(0)} frames/s, longest frame gap ${measured.longestFrameGapMs.toFixed(0)} ms; ${listRequests} export:files calls`,
    )
    return [
      {
        section: 'e',
        what: `renderer: ${count(total)} rows, progress 10/s, scrolling: longest task`,
        figure: measured.longTasks === 0 ? 'none over 50 ms' : `${measured.longestTaskMs.toFixed(0)} ms (${measured.longTasks} over 50 ms)`,
        target: '≤ 100 ms',
        met: measured.longestTaskMs <= 100,
      },
      {
        section: 'e',
        what: 'renderer: frame rate while scrolling',
        figure: `${fps.toFixed(0)} frames/s (longest gap ${measured.longestFrameGapMs.toFixed(0)} ms)`,
        target: '≥ 50 frames/s',
        met: fps >= 50,
      },
    ]
  } finally {
    await app.close()
  }
}
