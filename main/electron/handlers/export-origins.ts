import type { ExportOrigin } from '../../common/export-name.ts'
import type { ExportInfo } from '../../common/progress.ts'
import type { Exports } from '../../engine/export/exports.ts'
import { readExportHeader } from '../../engine/export/journal.ts'

/**
 * Each export's source as its journal header keeps it, so the page can name the export
 * ("calls-march.csv") in its own language. A header never changes: read once per folder.
 */
export class ExportOrigins {
  private readonly known = new Map<string, ExportOrigin>()

  constructor(private readonly exports: Exports) {}

  /** Without reading a file: the open runner's header, or what was read before. */
  now(id: string): ExportOrigin | undefined {
    const cached = this.known.get(id)
    if (cached) return cached
    const source = this.exports.get(id)?.header.source
    if (source) this.known.set(id, source)
    return source
  }

  async of(id: string): Promise<ExportOrigin | undefined> {
    const now = this.now(id)
    if (now) return now
    const source = (await readExportHeader(id).catch(() => undefined))?.source
    if (source) this.known.set(id, source)
    return source
  }

  /** `info` with its origin, when known. */
  async with<T extends ExportInfo>(info: T): Promise<T & { origin?: ExportOrigin }> {
    const origin = await this.of(info.id)
    return origin ? { ...info, origin } : info
  }

  withNow<T extends ExportInfo>(info: T): T & { origin?: ExportOrigin } {
    const origin = this.now(info.id)
    return origin ? { ...info, origin } : info
  }
}
