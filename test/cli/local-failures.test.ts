import { execFileSync } from 'node:child_process'
import { chmod, mkdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CccClient } from '../../main/engine/ccc/client.ts'
import { ExportRunner } from '../../main/engine/export/runner.ts'
import { cliFixture } from './cli-fixture.ts'
import { runCli } from './run-cli.ts'

const cli = cliFixture('cli-local-')

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}.wav`)

async function list(lines: readonly string[]): Promise<string> {
  const path = join(cli.work, 'names.txt')
  await writeFile(path, `${lines.join('\n')}\n`)
  return path
}

function download(listPath: string, out: string, extra: readonly string[] = []) {
  return runCli(['download', listPath, '--out', out, '--instance', cli.sim.instanceId, '--endpoint', cli.sim.endpoint, ...extra], cli.env)
}

const exists = (path: string) => stat(path).then(
  () => true,
  () => false,
)

describe('resume --retry, the command line\'s "Retry this group"', () => {
  it('says that a file failed for a passing reason after every try is tried again by resume, not by itself', async () => {
    const [fine, busy] = names('passing', 2) as [string, string]
    const out = join(cli.work, 'passing')
    // InternalError is tried three times (decide.ts): all three fail in this run.
    cli.sim.fault(busy, { kind: 'api-internal', times: 3 })
    const first = await download(await list([fine, busy]), out)
    expect(first.code).toBe(3)
    const line = `1 of these failed for a passing reason (the network, a busy server, a damaged transfer) after every try allowed: ccc-recordings resume ${out} tries it again`
    expect(first.stdout).toContain(line)
    expect((await runCli(['status', out], cli.env)).stdout).toContain(line)
    expect(JSON.parse((await runCli(['status', out, '--json'], cli.env)).stdout)).toMatchObject({ retryable: 1 })
    const resumed = await runCli(['resume', out, '--json'], cli.env)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).not.toHaveProperty('retryable')
    expect((await readFile(join(out, busy))).equals(cli.sim.content(busy))).toBe(true)
  })

  it('downloads a recording that failed for good once its cause is mended, and says how in the summary', async () => {
    const [mine, theirs] = names('in-the-way', 2) as [string, string]
    const out = join(cli.work, 'retry')
    await mkdir(out, { recursive: true })
    // Someone's own file under a recording's name: never replaced, that recording fails for good.
    await writeFile(join(out, theirs), 'my own notes')
    const first = await download(await list([mine, theirs]), out)
    expect(first.code).toBe(3)
    expect(first.stdout + first.stderr).toContain('then run resume <dir> --retry Local.FileInTheWay.')
    // status lists it as the summary does: code, count, meaning, and the command that retries it.
    expect((await runCli(['status', out], cli.env)).stdout).toMatch(/^  Local\.FileInTheWay {7}1  .*then run resume <dir> --retry Local\.FileInTheWay\.$/m)
    // A plain resume leaves it: it did not fail for a passing reason.
    expect((await runCli(['resume', out], cli.env)).code).toBe(3)
    // A mistyped code is refused, with the codes that did fail, not taken as a retry of nothing.
    const typo = await runCli(['resume', out, '--retry', 'local.fileintheway'], cli.env)
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('--retry local.fileintheway: no such error code, and no file failed with it; did you mean Local.FileInTheWay? (the codes that failed here: Local.FileInTheWay (1); or --retry all)')
    await unlink(join(out, theirs))
    const retried = await runCli(['resume', out, '--retry', 'Local.FileInTheWay'], cli.env)
    expect(retried.code, retried.stderr).toBe(0)
    expect(retried.stderr).toContain('1 file that failed with Local.FileInTheWay is tried again')
    expect((await readFile(join(out, theirs))).equals(cli.sim.content(theirs))).toBe(true)
    expect((await runCli(['resume', out, '--retry', 'all'], cli.env)).stderr).toContain('0 files that failed are tried again')
  })
})

describe('the disk is checked, not remembered', () => {
  it("fails only the recordings whose folder is a file someone keeps there, naming it; the others go on", async () => {
    const out = join(cli.work, 'folder-is-a-file')
    await mkdir(out, { recursive: true })
    // A template's folder for the agent 张三, where the user keeps a file of that name.
    await writeFile(join(out, '张三'), 'my notes')
    const csv = join(cli.work, 'agents.csv')
    await writeFile(csv, '录音文件名,坐席\nm1.wav,张三\nm2.wav,李四\n')
    const r = await download(csv, out, ['--name-template', '{agent}/{fileName}'])
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain(`${join(out, '张三')} is a file, where the folder of ${join(out, '张三', 'm1.wav')} goes: it is left alone`)
    expect(r.stdout).toMatch(/Local\.FileInTheWay +1 /)
    expect(await readFile(join(out, '李四', 'm2.wav'))).toEqual(cli.sim.content('m2.wav'))
    expect(await readFile(join(out, '张三'), 'utf8')).toBe('my notes')
    // Moved aside, the retry of that group fetches it.
    await unlink(join(out, '张三'))
    expect((await runCli(['resume', out, '--retry', 'Local.FileInTheWay'], cli.env)).code).toBe(0)
    expect(await readFile(join(out, '张三', 'm1.wav'))).toEqual(cli.sim.content('m1.wav'))
  })

  it("removes the partial file of a recording CCC deleted since: it could never be finished", async () => {
    const out = join(cli.work, 'gone-part')
    const [gone, kept] = names('gone-part', 2) as [string, string]
    await mkdir(out, { recursive: true })
    await writeFile(join(out, `${gone}.part`), cli.sim.content(gone).subarray(0, 100))
    cli.sim.remove(gone)
    const r = await download(await list([gone, kept]), out)
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/NotExist\.Record +1 /)
    expect(await exists(join(out, `${gone}.part`))).toBe(false)
    expect((await readFile(join(out, kept))).equals(cli.sim.content(kept))).toBe(true)
  })

  it('download again and resume fetch a deleted or truncated file, and say so; status counts them', async () => {
    const wanted = names('gone', 4)
    const out = join(cli.work, 'out')
    expect((await download(await list(wanted), out)).code).toBe(0)
    await unlink(join(out, wanted[0]!))
    await writeFile(join(out, wanted[1]!), 'short')

    const status = await runCli(['status', out], cli.env)
    expect(status.stdout).toMatch(/Files: 4 total, 2 verified/)
    expect(status.stdout).toMatch(/Not on disk as journalled: 1 missing and 1 changed \(another size\)/)

    const again = await download(await list(wanted), out)
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/2 verified files are not on disk as journalled \(1 missing and 1 changed \(another size\)\): downloaded again/)
    expect(again.stdout).toMatch(/Finished: 4 of 4 verified on disk/)
    for (const n of wanted) expect((await readFile(join(out, n))).equals(cli.sim.content(n))).toBe(true)

    await unlink(join(out, wanted[2]!))
    const resumed = await runCli(['resume', out], cli.env)
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toMatch(/1 verified file is not on disk as journalled \(1 missing\)/)
    expect((await readFile(join(out, wanted[2]!))).equals(cli.sim.content(wanted[2]!))).toBe(true)
  })
})

describe('a journal with nothing in it', () => {
  it('is a fresh start for download, and no export for resume', async () => {
    const out = join(cli.work, 'out')
    await mkdir(join(out, '.ccc-recordings'), { recursive: true })
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), '')
    const resumed = await runCli(['resume', out], cli.env)
    expect(resumed.code).toBe(2)
    expect(resumed.stderr).toMatch(/journal is empty: the export never started/)
    const status = await runCli(['status', out], cli.env)
    expect(status.code).toBe(2)
    expect(status.stderr).toContain('no export here (its journal is empty: the export never started; start it with download)')
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'garbage\nmore garbage\n')
    expect((await runCli(['status', out], cli.env)).stderr).toContain('no export here (its journal is damaged at its first line; move .ccc-recordings aside to start afresh)')
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), '')
    const r = await download(await list(names('fresh', 2)), out)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Finished: 2 of 2 verified/)
  })

  it('beside files already downloaded (a disk full before the first journal write), a download starts afresh and takes them', async () => {
    const out = join(cli.work, 'blank-beside')
    const wanted = names('beside', 3)
    await mkdir(join(out, '.ccc-recordings'), { recursive: true })
    const old = new Date('2026-01-01T00:00:00Z')
    for (const n of wanted.slice(0, 2)) {
      await writeFile(join(out, n), cli.sim.content(n))
      await utimes(join(out, n), old, old)
    }
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), '')
    const r = await download(await list(wanted), out)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Finished: 3 of 3 verified/)
    // Taken as they are (proven by OSS's CRC-64), not downloaded again.
    for (const n of wanted.slice(0, 2)) expect((await stat(join(out, n))).mtime).toEqual(old)
  })
})

describe('an output folder that cannot be used', () => {
  it('is exit 2 naming the folder when --out is a file, or under one', async () => {
    const file = join(cli.work, 'a-file')
    await writeFile(file, 'x')
    for (const out of [file, join(file, 'sub')]) {
      const r = await download(await list(names('nodir', 1)), out)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`ccc-recordings: Export.OutputUnusable: ${out}: cannot be used as the output folder`)
      expect(r.stderr).toMatch(out === file ? /it is a file, not a folder/ : /a-file is a file, not a folder/)
      expect(r.stderr).not.toMatch(/unexpected|ENOENT/)
    }
  })

  // Node's recursive mkdir never settles there: each try answers ENOENT with the parent in place.
  it.skipIf(process.platform !== 'linux')('is exit 2 under /proc, where no folder can be made, instead of hanging', async () => {
    for (const out of ['/proc/ccc-recordings-test', '/proc']) {
      const r = await download(await list(names('proc', 1)), out)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`ccc-recordings: Export.OutputUnusable: ${out}: cannot be used as the output folder: a folder could not be made there`)
    }
  })

  it('is exit 2 for a folder without write permission (not as root: root may write anyway)', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip()
    const out = join(cli.work, 'locked')
    await mkdir(out)
    await chmod(out, 0o500)
    const r = await download(await list(names('perm', 1)), out)
    await chmod(out, 0o700)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot be used as the output folder: no permission to write in it/)
  })

  it('is exit 2 for an immutable journal (chattr +i, where root and the file system allow it)', async (ctx) => {
    const out = join(cli.work, 'out')
    expect((await download(await list(names('immutable', 1)), out)).code).toBe(0)
    const journal = join(out, '.ccc-recordings', 'journal.jsonl')
    try {
      execFileSync('chattr', ['+i', journal], { stdio: 'ignore' })
    } catch {
      ctx.skip()
    }
    try {
      const r = await runCli(['resume', out], cli.env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/cannot be used as the output folder: the system does not allow changing it/)
      expect(await exists(join(out, '.ccc-recordings', 'lock'))).toBe(false)
    } finally {
      execFileSync('chattr', ['-i', journal])
    }
  })
})

describe('a first run killed before its list was recorded', () => {
  it('is not "finished" by resume with nothing downloaded: resume refuses (exit 2) and status says to run the download again', async () => {
    const out = join(cli.work, 'header-only')
    const listFile = join(cli.work, 'calls.csv')
    // What a kill between the journal's header and its first names leaves: a header alone.
    const client = new CccClient({ credentials: { accessKeyId: cli.sim.accessKeyId, accessKeySecret: cli.sim.accessKeySecret }, endpoint: cli.sim.endpoint })
    const runner = await ExportRunner.open(out, { client }, { instanceId: cli.sim.instanceId, source: { kind: 'names', file: listFile }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
    await runner.close()

    const resumed = await runCli(['resume', out, '--json'], cli.env)
    expect(resumed.code).toBe(2)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ error: { code: 'Export.ListNotRecorded' }, exitCode: 2 })
    expect(resumed.stderr).toContain(`its first run was stopped before it recorded its list, so there is nothing to resume; start the download again with ${listFile} into this folder`)
    expect((await runCli(['status', out], cli.env)).stdout).toContain(`start the download again with ${listFile} into this folder`)
    // That download does what resume could not.
    await writeFile(listFile, 'a.wav\nb.wav\n')
    const again = await runCli(['download', listFile, '--out', out, '--instance', cli.sim.instanceId, '--endpoint', cli.sim.endpoint], cli.env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/Finished: 2 of 2 verified on disk/)
  })

  it('is not a contacts export stopped in its first lookups: its IDs are recorded, and resume goes on', async () => {
    cli.sim.addCall({ contactId: 'first-lookup-1', startTime: Date.now() - 3_600_000, recordings: ['first-lookup-1.wav'] })
    const ids = join(cli.work, 'ids.txt')
    await writeFile(ids, 'first-lookup-1\n')
    const out = join(cli.work, 'contacts-stopped')
    const wrong = await runCli(['download', '--contacts', ids, '--out', out, '--instance', 'no-such-instance', '--endpoint', cli.sim.endpoint], cli.env)
    expect(wrong.code).toBe(4)
    expect((await runCli(['status', out], cli.env)).stdout).not.toContain('nothing to resume')
    const resumed = await runCli(['resume', out, '--instance', cli.sim.instanceId], cli.env)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/Finished: 1 of 1 verified on disk/)
  })
})

describe('a shorter list into a folder an earlier list left unfinished', () => {
  it('says that the earlier list\'s files still to do are downloaded too', async () => {
    const out = join(cli.work, 'earlier-list')
    const earlier = names('earlier', 5)
    // An earlier list recorded and stopped before any of it was downloaded.
    const client = new CccClient({ credentials: { accessKeyId: cli.sim.accessKeyId, accessKeySecret: cli.sim.accessKeySecret }, endpoint: cli.sim.endpoint })
    const runner = await ExportRunner.open(out, { client }, { instanceId: cli.sim.instanceId, source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
    runner.add(earlier)
    await runner.close()

    const r = await download(await list([earlier[0]!, 'later-0.wav']), out)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain("4 files of earlier lists into this folder, not in this one, are still to do: this run downloads them too (the folder's export is every list given to it)")
    expect(r.stdout).toMatch(/Finished: 6 of 6 verified on disk/)
    // Given again with nothing earlier left, there is nothing to say.
    expect((await download(await list(['later-0.wav']), out)).stderr).not.toContain('earlier lists')

    // A verify of the export before a later list says so, instead of reading as the whole folder's.
    expect((await runCli(['verify', out], cli.env)).stdout).toMatch(/^Verified 6 files \(/m)
    expect((await download(await list(['later-1.wav']), out)).code).toBe(0)
    expect((await runCli(['status', out], cli.env)).stdout).toMatch(/^Last verified: .*, all 6 files match; the export has 7 verified files now \(verify again to check them all\)$/m)
  })
})

describe('a wrong instance does not bind the folder', () => {
  it('stops with advice to fix the setting; the corrected download, or resume --instance, then runs', async () => {
    const wanted = names('wrong', 3)
    const out = join(cli.work, 'out')
    const wrong = await runCli(['download', await list(wanted), '--out', out, '--instance', 'no-such-instance', '--endpoint', cli.sim.endpoint], cli.env)
    expect(wrong.code).toBe(4)
    expect(wrong.stdout).toMatch(/NotExist.Instance/)
    expect(wrong.stdout).toMatch(/Correct what is named above, then run the download again/)
    expect(wrong.stdout).not.toMatch(/Continue with/)

    // status explains the stop as the summary did, instead of the server's bare message.
    const stopped = await runCli(['status', out], cli.env)
    expect(stopped.stdout).toMatch(/^Last state: stopped \(NotExist\.Instance\)\nNotExist\.Instance: .+\. .+\n {2}\S/m)
    expect(JSON.parse((await runCli(['status', out, '--json'], cli.env)).stdout)).toMatchObject({ reason: { code: 'NotExist.Instance', meaning: expect.any(String), action: expect.any(String) } })
    const resumedWrong = await runCli(['resume', out], cli.env)
    expect(resumedWrong.code).toBe(4)
    const corrected = await runCli(['resume', out, '--instance', cli.sim.instanceId], cli.env)
    expect(corrected.code).toBe(0)
    expect(corrected.stdout).toMatch(/Finished: 3 of 3 verified on disk/)
    const status = await runCli(['status', out], cli.env)
    expect(status.stdout).toContain(`instance ${cli.sim.instanceId}`)

    // Now that files are verified for it, another instance is refused.
    const other = await runCli(['download', await list(wanted), '--out', out, '--instance', 'another', '--endpoint', cli.sim.endpoint], cli.env)
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/already holds an export for instance .* with 3 verified files/)
  })

  it('stops on an endpoint that is not CCC (a path after the host), after a handful of calls, and resume --endpoint corrects it', async () => {
    const wanted = names('path', 20)
    const out = join(cli.work, 'out')
    cli.sim.resetStats()
    const wrong = await runCli(['download', await list(wanted), '--out', out, '--instance', cli.sim.instanceId, '--endpoint', `${cli.sim.endpoint}/some/path`], cli.env)
    expect(wrong.code).toBe(4)
    expect(wrong.stdout).toMatch(/Api\.WrongEndpoint: The endpoint did not answer as CCC’s API \(HTTP 404, not JSON\)/)
    expect(wrong.stdout).not.toMatch(/Failures by code/)
    const corrected = await runCli(['resume', out, '--endpoint', cli.sim.endpoint], cli.env)
    expect(corrected.code, corrected.stdout + corrected.stderr).toBe(0)
    expect(corrected.stdout).toMatch(/Finished: 20 of 20 verified on disk/)
  })

  it('stops once, and at once, on a proxy that wants credentials (HTTP 407); with them in HTTPS_PROXY it goes through, the password never shown', async () => {
    // A proxy as a call centre's is: HTTPS_PROXY names it, and it opens a tunnel only with its credentials.
    const password = 'p@ss:w0rd!'
    const wanted = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`
    let refused = 0
    let tunnels = 0
    const proxy = createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (req.headers['proxy-authorization'] !== wanted) {
        refused++
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n')
        return
      }
      tunnels++
      const [host, port] = (req.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(socket).pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done))
    try {
      const { port } = proxy.address() as AddressInfo
      const via = (credentials: string) => ({ ...cli.env, HTTPS_PROXY: `http://${credentials}127.0.0.1:${port}`, HTTP_PROXY: `http://${credentials}127.0.0.1:${port}` })
      const listPath = await list(names('proxied', 40))
      const out = join(cli.work, 'proxy-auth')
      const r = await runCli(['download', listPath, '--out', out, '--instance', cli.sim.instanceId, '--endpoint', cli.sim.endpoint], via(''))
      expect(r.code, r.stderr).toBe(4)
      expect(r.stdout).toMatch(/Network\.ProxyAuth: A proxy between this computer and CCC asks for a user name and password, or refused the ones given \(HTTP 407\)/)
      expect(r.stdout).toContain('HTTPS_PROXY (http://user:password@host:port)')
      expect(r.stdout).toContain(`Correct what is named above, then continue: ccc-recordings resume ${out}`)
      expect(r.stdout + r.stderr).not.toMatch(/waiting for network|Failures by code/)
      expect(refused).toBeGreaterThan(0)
      expect(refused).toBeLessThanOrEqual(8)

      // As the advice says: the credentials in HTTPS_PROXY, then resume.
      const resumed = await runCli(['resume', out], { ...via(`alice:${encodeURIComponent(password)}@`), CCC_RECORDINGS_DEBUG: '1' })
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(resumed.stdout).toMatch(/Finished: 40 of 40 verified on disk/)
      expect(tunnels).toBeGreaterThan(0)
      expect(resumed.stdout + resumed.stderr).not.toContain(encodeURIComponent(password))
      expect(resumed.stdout + resumed.stderr).not.toContain(password)
    } finally {
      proxy.closeAllConnections()
      await new Promise((done) => proxy.close(done))
    }
  })

  it('is corrected by the same download with the right instance', async () => {
    const wanted = names('rerun', 2)
    const out = join(cli.work, 'out')
    const wrong = await runCli(['download', await list(wanted), '--out', out, '--instance', 'no-such-instance', '--endpoint', cli.sim.endpoint], cli.env)
    expect(wrong.code).toBe(4)
    const right = await download(await list(wanted), out)
    expect(right.code).toBe(0)
    expect(right.stdout).toMatch(/Finished: 2 of 2 verified on disk/)
  })
})
