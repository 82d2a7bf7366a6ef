/**
 * The least a Node program can do for part a's files with the same per-file work as ours: one
 * signed DownloadRecording call per file (resolved ahead by a pool of its own, so the API's
 * distance is hidden as ours hides it), the object streamed over a kept-alive connection with
 * SHA-256 and CRC-64 computed on the way, written in one O_DSYNC write to an O_EXCL `.part`, and
 * renamed into place after a look that nothing is in the way; the CRC-64 is compared with the one
 * OSS sent. Nothing else: no journal, no resume, no timeouts, no stop, no report. It
 * uses our own CCC client and CRC-64, so what separates it from ours is the engine around them,
 * and what separates it from aria2c alone is Node and the work itself (issue 16: what the machine
 * allows). Not a product: a fault ends it.
 *
 *   node bare-download.mjs <names.txt> <out> <endpoint> <instance> <transfers> <resolvers>
 * Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, readFile, rename } from 'node:fs/promises'
import http from 'node:http'
import { join } from 'node:path'
import { CccClient } from '../../main/engine/ccc/client.ts'
import { Crc64 } from '../../main/engine/download/crc64.ts'
import { createNodeFetch } from '../../main/engine/net/node-fetch.ts'

const [listFile, out, endpoint, instanceId, transfersText, resolversText] = process.argv.slice(2)
if (!listFile || !out || !endpoint || !instanceId) {
  console.error('usage: bare-download.ts <names.txt> <out> <endpoint> <instance> <transfers> <resolvers>')
  process.exit(2)
}
const names = (await readFile(listFile, 'utf8')).split('\n').filter((n) => n.length > 0)
const api = createNodeFetch()
const client = new CccClient({
  credentials: { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '', accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' },
  endpoint,
  fetch: api.fetch,
})
const agent = new http.Agent({ keepAlive: true })

// URLs resolved or being resolved and not yet taken, at most AHEAD of them; the resolvers wait
// while there are that many.
const AHEAD = 128
const ready: { name: string; url: string }[] = []
let inFlight = 0
let resolving = 0
let taken = 0
let roomWaiters: (() => void)[] = []
let urlWaiters: (() => void)[] = []
const wake = (list: (() => void)[]): (() => void)[] => {
  for (const f of list) f()
  return []
}

async function resolver(): Promise<void> {
  for (;;) {
    while (ready.length + inFlight >= AHEAD) await new Promise<void>((r) => roomWaiters.push(r))
    if (resolving >= names.length) return
    const name = names[resolving++]!
    inFlight++
    const { url } = await client.downloadRecording(instanceId!, name)
    inFlight--
    ready.push({ name, url })
    urlWaiters = wake(urlWaiters)
  }
}

async function nextUrl(): Promise<{ name: string; url: string } | undefined> {
  for (;;) {
    const job = ready.shift()
    if (job) {
      taken++
      roomWaiters = wake(roomWaiters)
      return job
    }
    if (taken >= names.length) return undefined
    await new Promise<void>((r) => urlWaiters.push(r))
  }
}

/** The body's chunks, checked against the CRC-64 OSS sent, as ours checks it. */
function get(url: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`))
        const chunks: Buffer[] = []
        const sha = createHash('sha256')
        const crc = new Crc64()
        res.on('data', (b: Buffer) => {
          chunks.push(b)
          sha.update(b)
          crc.update(b)
        })
        res.on('end', () => {
          sha.digest('hex')
          const sent = res.headers['x-oss-hash-crc64ecma']
          if (sent !== undefined && crc.digest() !== sent) reject(new Error(`${url}: CRC-64 ${crc.digest()}, OSS sent ${String(sent)}`))
          else resolve(chunks)
        })
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

async function transfer(): Promise<void> {
  for (let job = await nextUrl(); job; job = await nextUrl()) {
    const chunks = await get(job.url)
    const dest = join(out!, job.name)
    const fh = await open(`${dest}.part`, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_DSYNC)
    const { bytesWritten } = await fh.writev(chunks)
    await fh.close()
    if (bytesWritten !== chunks.reduce((a, c) => a + c.length, 0)) throw new Error(`${dest}: a short write`)
    if (await lstat(dest).then(() => true, () => false)) throw new Error(`${dest} is in the way`)
    await rename(`${dest}.part`, dest)
  }
  urlWaiters = wake(urlWaiters)
}

await Promise.all([
  ...Array.from({ length: Number(resolversText ?? 32) }, resolver),
  ...Array.from({ length: Number(transfersText ?? 8) }, transfer),
])
api.close()
agent.destroy()
