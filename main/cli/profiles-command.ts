import { apiVersionOf } from './api-choice.ts'
import { API_V1, API_V2, describeApiVersion } from '../common/api-version.ts'
import { connectionOutcomeLine } from '../common/connection-outcomes.ts'
import { maskAccessKeyId } from '../common/redact.ts'
import { CccClient } from '../engine/ccc/client.ts'
import { testConnection } from '../engine/credentials/connection-test.ts'
import { parse } from './args.ts'
import { profileStore } from './connect.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { createCliFetch } from './proxy-fetch.ts'
import { readCredentials } from './secret-prompt.ts'
import { cliLocale } from './summary.ts'

export const PROFILES_USAGE = [
  'ccc-recordings profiles add <name> --instance <id> --access-key-id <id> [--region cn-shanghai] [--endpoint <url>] [--output-dir <dir>] [--api-version 2017-07-05|2020-07-01] [--retention-days N] [--secret-stdin] [--sts-token | --sts-token-stdin | --clear-sts-token] [--default]',
  'ccc-recordings profiles list [--json]',
  'ccc-recordings profiles remove <name>',
  'ccc-recordings profiles test <name>',
  'ccc-recordings profiles default <name>',
].join('\n       ')

export async function profilesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args
  switch (verb) {
    case 'add':
      return add(rest, io)
    case 'list':
      return list(rest, io)
    case 'remove':
      return remove(rest, io)
    case 'test':
      return test(rest, io)
    case 'default':
      return setDefault(rest, io)
    default:
      throw new UsageError(`${verb ? `unknown profiles command "${verb}"` : 'missing profiles command'}; usage: ${PROFILES_USAGE}`)
  }
}

const ADD_OPTIONS = {
  region: { type: 'string' },
  instance: { type: 'string' },
  'access-key-id': { type: 'string' },
  endpoint: { type: 'string' },
  'output-dir': { type: 'string' },
  'api-version': { type: 'string' },
  'retention-days': { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  'sts-token': { type: 'boolean' },
  'sts-token-stdin': { type: 'boolean' },
  'clear-sts-token': { type: 'boolean' },
  default: { type: 'boolean' },
} as const

async function add(args: readonly string[], io: CliIo): Promise<number> {
  // No upper bound here: parse() would quote the surplus argument, which may be a pasted secret.
  const { values, positionals } = parse(args, ADD_OPTIONS, { min: 1, max: Number.MAX_SAFE_INTEGER, usage: PROFILES_USAGE })
  if (positionals.length > 1) {
    throw new UsageError(
      `profiles add takes one profile name, and got ${positionals.length} arguments (not repeated here: a secret or token is never taken from the command line; --secret-stdin and --sts-token-stdin read them, --sts-token asks for the token)`,
    )
  }
  const name = positionals[0]!
  const store = profileStore(io)
  // Adding a profile again changes what is given and keeps the rest: a new secret must not turn
  // a CCC 2.0 profile in cn-beijing back into a 1.0 one in cn-shanghai.
  const before = await store.get(name)
  const instanceId = values.instance || before?.instanceId
  const accessKeyId = values['access-key-id'] || before?.accessKeyId
  if (!instanceId) throw new UsageError('profiles add: --instance <id> is required')
  if (!accessKeyId) throw new UsageError('profiles add: --access-key-id <id> is required')
  const clearToken = values['clear-sts-token'] === true
  if (clearToken && (values['sts-token'] || values['sts-token-stdin'])) {
    throw new UsageError('profiles add: --clear-sts-token removes the STS token, so it goes without --sts-token and --sts-token-stdin')
  }
  const read = await readCredentials(io, { secretStdin: values['secret-stdin'] === true, tokenStdin: values['sts-token-stdin'] === true, askToken: values['sts-token'] === true })
  const securityToken = read.securityToken ?? (clearToken ? null : undefined)
  // An option given empty (`--endpoint ''`) removes what the profile kept.
  const given = <T>(value: string | undefined, kept: T | undefined, parse: (v: string) => T): T | undefined =>
    value === undefined ? kept : value === '' ? undefined : parse(value)
  const region = given(values.region, before?.region, (v) => v)
  const endpoint = given(values.endpoint, before?.endpoint, (v) => v)
  const outputDir = given(values['output-dir'], before?.outputDir, (v) => v)
  const apiVersion = given(values['api-version'], before?.apiVersion, (v) => apiVersionOf(v, undefined))
  const retentionDays = given(values['retention-days'], before?.retentionDays, wholeDays)
  const profile = await store.save(
    {
      name,
      instanceId,
      accessKeyId,
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(outputDir ? { outputDir } : {}),
      ...(apiVersion ? { apiVersion } : {}),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
    },
    read.secret,
    securityToken === undefined ? {} : { securityToken },
  )
  if (values.default) await store.setDefault(profile.name)
  io.stdout.write(`Saved profile "${profile.name}" (${maskAccessKeyId(profile.accessKeyId)}, ${profile.region}); ${tokenNote(profile.hasSecurityToken === true, securityToken)}\n`)
  if (before) {
    const kept = [
      values.region === undefined ? `region ${profile.region}` : '',
      values.endpoint === undefined && profile.endpoint ? `endpoint ${profile.endpoint}` : '',
      values['api-version'] === undefined && profile.apiVersion ? `API version ${profile.apiVersion}` : '',
      values['retention-days'] === undefined && profile.retentionDays !== undefined ? `retention ${profile.retentionDays} days` : '',
      values['output-dir'] === undefined && profile.outputDir ? `output folder ${profile.outputDir}` : '',
    ].filter((k) => k !== '')
    if (kept.length > 0) io.stdout.write(`Kept from before: ${kept.join(', ')} (an option given empty, such as --endpoint '', removes one)\n`)
  }
  return EXIT.ok
}

/** Says where the token stands, above all when one saved earlier is kept: a re-added profile keeps it. */
function tokenNote(stored: boolean, given: string | null | undefined): string {
  if (!stored) return 'the secret is in the system keychain'
  if (given) return 'the secret and the STS token are in the system keychain'
  return 'the secret is in the system keychain, and the STS token saved before is kept (--clear-sts-token removes it)'
}

/** CCC's retention as the user states it: `sync` starts that far back and `status` warns near it. */
function wholeDays(text: string): number {
  const days = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(days)) throw new UsageError(`profiles add: --retention-days "${text}" is not a whole number of days`)
  return days
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } } as const, { min: 0, max: 0, usage: PROFILES_USAGE })
  const store = profileStore(io)
  const file = await store.read()
  const rows = file.profiles.map((p) => ({
    name: p.name,
    region: p.region,
    instanceId: p.instanceId,
    accessKeyId: maskAccessKeyId(p.accessKeyId),
    ...(p.endpoint ? { endpoint: p.endpoint } : {}),
    ...(p.outputDir ? { outputDir: p.outputDir } : {}),
    ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}),
    ...(p.retentionDays ? { retentionDays: p.retentionDays } : {}),
    // Whether a token is kept, never the token: it stays in the keychain.
    hasSecurityToken: p.hasSecurityToken === true,
    default: p.name === file.defaultProfile,
  }))
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rows)}\n`)
    return EXIT.ok
  }
  if (rows.length === 0) {
    io.stdout.write('No profiles yet: add one with `ccc-recordings profiles add <name> …`\n')
    return EXIT.ok
  }
  for (const r of rows) io.stdout.write(`${r.default ? '*' : ' '} ${r.name}  ${r.region}  ${r.instanceId}  ${r.accessKeyId}${r.endpoint ? `  ${r.endpoint}` : ''}${r.apiVersion === API_V2 ? '  CCC 2.0' : ''}${r.hasSecurityToken ? '  +STS token' : ''}\n`)
  return EXIT.ok
}

async function remove(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, { min: 1, max: 1, usage: PROFILES_USAGE })
  const removed = await profileStore(io).remove(positionals[0]!)
  if (!removed) throw new UsageError(`no profile is named "${positionals[0]}"`)
  io.stdout.write(`Removed profile "${positionals[0]}" and its keychain entry\n`)
  return EXIT.ok
}

async function setDefault(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, { min: 1, max: 1, usage: PROFILES_USAGE })
  const store = profileStore(io)
  if (!(await store.get(positionals[0]!))) throw new UsageError(`no profile is named "${positionals[0]}"`)
  await store.setDefault(positionals[0]!)
  io.stdout.write(`"${positionals[0]}" is now the default profile\n`)
  return EXIT.ok
}

async function test(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, { min: 1, max: 1, usage: PROFILES_USAGE })
  const store = profileStore(io)
  const name = positionals[0]!
  const profile = await store.get(name)
  if (!profile) throw new UsageError(`no profile is named "${name}"`)
  const client = new CccClient({
    credentials: await store.credentialsFor(name),
    region: profile.region,
    fetch: createCliFetch(),
    ...(profile.endpoint ? { endpoint: profile.endpoint } : {}),
  })
  const outcome = await testConnection(client, profile.instanceId, profile.apiVersion ? { apiVersion: profile.apiVersion } : {})
  const locale = cliLocale(io.env)
  io.stdout.write(`${connectionOutcomeLine(outcome, locale)}\n`)
  // The generation the probes found, and how to record it when the profile says otherwise.
  if (outcome.apiVersion && outcome.apiVersion !== (profile.apiVersion ?? API_V1)) {
    io.stdout.write(`  Detected API version ${describeApiVersion(outcome.apiVersion)}: pass --api-version ${outcome.apiVersion} to download, or save it in the profile (profiles add ${name} … --api-version ${outcome.apiVersion})\n`)
  }
  if (outcome.detail) io.stdout.write(`  ${outcome.code ?? ''} ${outcome.detail}${outcome.requestId ? ` (RequestId ${outcome.requestId})` : ''}\n`)
  // 2.0's probe lists calls (a read every 2.0 export makes); no recording is asked for there.
  if (outcome.ok && outcome.apiVersion === API_V2) io.stdout.write('  CCC 2.0: checked by listing calls; the permission to get recordings and their storage are first used by a download\n')
  return outcome.ok ? EXIT.ok : EXIT.fatal
}
