/**
 * The first step of the two-step peer, as a script would do it: resolve every presigned URL with
 * DownloadRecording (8 at a time), then write an aria2c input file, one URL a line with an `out=`
 * option so the files get the names ours get. Runs as its own process, as the peer's script would.
 *
 *   node --import tsx scripts/bench/peer-resolve.ts <names.txt> <urls.txt> <endpoint> <instance> <concurrency> [fetch|http]
 * Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.
 *
 * `fetch` (the default) is Node's own fetch, what a script would use. `http` is the HTTP client
 * our CLI uses (node-fetch.ts), for a peer that differs from ours only in its pipeline.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { CccClient } from '../../main/engine/ccc/client.ts'
import { createNodeFetch } from '../../main/engine/net/node-fetch.ts'

const [listFile, urlsFile, endpoint, instanceId, concurrencyText, clientName] = process.argv.slice(2)
if (!listFile || !urlsFile || !endpoint || !instanceId) {
  console.error('usage: peer-resolve.ts <names.txt> <urls.txt> <endpoint> <instance> [concurrency]')
  process.exit(2)
}
const names = (await readFile(listFile, 'utf8')).split('\n').filter((n) => n.length > 0)
const client = new CccClient({
  credentials: { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '', accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' },
  endpoint,
  ...(clientName === 'http' ? { fetch: createNodeFetch().fetch } : {}),
})
// CccClient strips the extra quotes the real API puts around SignatureUrl (ccc-api.md §3).
const urls = new Array<string>(names.length)
let next = 0
async function worker(): Promise<void> {
  while (next < names.length) {
    const i = next++
    // A peer script retries too; the simulator injects no faults here, so one attempt is the norm.
    for (let attempt = 1; ; attempt++) {
      try {
        urls[i] = (await client.downloadRecording(instanceId!, names[i]!)).url
        break
      } catch (e) {
        if (attempt >= 3) throw e
      }
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrencyText ?? 8) }, worker))
await writeFile(urlsFile, names.map((n, i) => `${urls[i]}\n  out=${n}\n`).join(''))
