/** f, in its own process so the peak RSS is the verify's: verifyFolder(<dir>), one JSON line out. */
import { verifyFolder } from '../../main/engine/calls/verify-folder.ts'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: verify-child.ts <dir>')
  process.exit(2)
}
const started = performance.now()
const r = await verifyFolder(dir, { record: false })
const ms = performance.now() - started
console.log(JSON.stringify({ ms, files: r.files, matched: r.matched, bytes: r.bytes, ok: r.ok, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }))
