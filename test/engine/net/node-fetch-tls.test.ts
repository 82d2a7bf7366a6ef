import { execFile, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeFetch } from '../../../main/engine/net/node-fetch.ts'
import { rejectionOf } from '../../rejection.ts'

/**
 * Against Alibaba Cloud every request the CLI makes is https, so the http client is tried on a
 * real TLS server: a certificate made for this run by openssl, untrusted unless a child process
 * is told to trust it the way a user behind a company CA would (NODE_EXTRA_CA_CERTS).
 */

let dir: string
let server: Server
let url: string
const nodeFetch = createNodeFetch()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccc-tls-'))
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' })
  server = createServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (req, res) => {
    res.end(`hello over TLS at ${req.url}`)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  url = `https://localhost:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  nodeFetch.close()
  server.closeAllConnections()
  server.close()
  await rm(dir, { recursive: true, force: true })
})

async function failure(p: Promise<unknown>): Promise<{ message: string; code: unknown }> {
  const e = await rejectionOf(p, TypeError)
  return { message: e.message, code: (e.cause as { code?: unknown } | undefined)?.code }
}

describe('the http client over TLS', () => {
  it('refuses a certificate nobody trusts, as Node fetch does', async () => {
    const ours = await failure(nodeFetch.fetch(`${url}/x`))
    const theirs = await failure(fetch(`${url}/x`))
    expect(ours).toEqual(theirs)
    expect(ours.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
  })

  it('talks https to a server whose CA the process trusts', async () => {
    const script = join(dir, 'get.mts')
    const module = resolve('main/engine/net/node-fetch.ts')
    await writeFile(
      script,
      `import { createNodeFetch } from ${JSON.stringify(module)}\n` +
        `const client = createNodeFetch()\n` +
        `const res = await client.fetch(process.argv[2])\n` +
        `console.log(res.status, await res.text())\n` +
        `client.close()\n`,
    )
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, `${url}/trusted`], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
    })
    expect(stdout.trim()).toBe('200 hello over TLS at /trusted')
  })
})
