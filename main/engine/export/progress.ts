import type { ExportProgress } from '../../common/progress.ts'
import type { Clock } from '../clock.ts'
import type { ExportTable } from './export-table.ts'
import { isListedSource } from './listing.ts'
import type { NetworkGate } from './network-gate.ts'
import { ProgressMeter } from './progress-meter.ts'
import { reasonOf, type RunState } from './state.ts'

/**
 * Progress for listeners, batched: changes only mark the export dirty, and a ticker (about ten a
 * second) sends one snapshot when anything changed, so a million files cost what ten do.
 */
export class ProgressEmitter {
  private readonly listeners = new Set<(p: ExportProgress) => void>()
  private readonly meter: ProgressMeter
  private dirty = false
  private ticker: NodeJS.Timeout | undefined

  constructor(
    clock: Clock,
    private readonly snapshotOf: (meter: ProgressMeter) => ExportProgress,
    private readonly bytes: () => number,
    private readonly intervalMs = 100,
  ) {
    this.meter = new ProgressMeter(clock)
  }

  on(listener: (p: ExportProgress) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  snapshot(): ExportProgress {
    return this.snapshotOf(this.meter)
  }

  changed(): void {
    this.dirty = true
  }

  fileDone(): void {
    this.meter.fileDone()
  }

  start(): void {
    clearInterval(this.ticker)
    this.ticker = setInterval(() => this.tick(), this.intervalMs)
    this.ticker.unref?.()
  }

  stop(): void {
    clearInterval(this.ticker)
    this.ticker = undefined
  }

  emit(): void {
    this.dirty = false
    if (this.listeners.size === 0) return
    const progress = this.snapshot()
    for (const listener of this.listeners) listener(progress)
  }

  private tick(): void {
    this.meter.sample(this.bytes())
    if (this.dirty) this.emit()
  }
}

/** What the Queue page and the CLI's progress line show of an export right now. */
export function progressOf(outDir: string, table: ExportTable, state: RunState, meter: ProgressMeter, network?: NetworkGate): ExportProgress {
  const { bytesPerSecond, etaSeconds } = meter.estimate(table)
  const reason = reasonOf(state)
  const source = table.header?.source
  return {
    id: outDir,
    state: state.kind,
    counts: { ...table.counts },
    bytes: table.bytes,
    bytesPerSecond,
    etaSeconds,
    failures: table.failures(),
    ...(reason ? { reason } : {}),
    ...(network?.waitingSince === undefined ? {} : { network: waiting(network.waitingSince, network.nextProbeAt, network.lastFailure) }),
    ...(source && isListedSource(source) ? { listing: { pages: table.listing.pages, found: table.listed.found } } : {}),
  }
}

function waiting(since: number, nextProbeAt: number | undefined, lastFailure: string | undefined): NonNullable<ExportProgress['network']> {
  return {
    waitingSince: new Date(since).toISOString(),
    ...(nextProbeAt === undefined ? {} : { nextProbeAt: new Date(nextProbeAt).toISOString() }),
    ...(lastFailure === undefined ? {} : { lastFailure }),
  }
}
