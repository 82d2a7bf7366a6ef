import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { strToU8, zipSync } from 'fflate'
import type { ExportStatus } from '../common/progress.ts'
import { redact } from '../common/redact.ts'

export interface DiagnosticsInput {
  readonly logsDir: string
  readonly versions: Readonly<Record<string, string>>
  readonly exports: readonly ExportStatus[]
}

// Enough to see what went wrong recently; a support zip should stay small enough to e-mail.
const MAX_LOG_BYTES = 2 * 1024 * 1024

/**
 * The bytes of a diagnostics zip: the app's logs (redacted once more, in case a line predates a
 * registered secret), versions, and the summaries of known exports. No journals, no reports,
 * no file names beyond what the logs say: a support request should not carry a customer list.
 */
export async function diagnosticsZip(input: DiagnosticsInput): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {
    'versions.json': strToU8(JSON.stringify(input.versions, null, 2)),
    'exports.json': strToU8(redact(JSON.stringify(input.exports, null, 2))),
  }
  let names: string[] = []
  try {
    names = (await readdir(input.logsDir)).filter((n) => n.endsWith('.log'))
  } catch {
    // No logs yet: the zip still says what versions run.
  }
  for (const name of names) {
    const path = join(input.logsDir, name)
    const { size } = await stat(path)
    const text = await readFile(path, 'utf8')
    files[`logs/${name}`] = strToU8(redact(size > MAX_LOG_BYTES ? text.slice(-MAX_LOG_BYTES) : text))
  }
  return zipSync(files, { level: 6 })
}
