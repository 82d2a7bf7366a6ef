import type { ApiVersion } from '../common/api-version.ts'
import type { CccClient } from '../engine/ccc/client.ts'
import { GenerationAwareClient } from '../engine/credentials/generation-client.ts'
import { DEFAULT_REGION } from '../engine/ccc/endpoint.ts'
import { EndpointSchema, RegionSchema } from '../engine/credentials/profile-schema.ts'
import { configDir } from '../engine/credentials/config-dir.ts'
import { KeyringStore } from '../engine/credentials/keyring-store.ts'
import { ProfileStore } from '../engine/credentials/profiles.ts'
import { resolveCredentials } from '../engine/credentials/resolve-credentials.ts'
import { apiVersionOf } from './api-choice.ts'
import { UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { createCliFetch } from './proxy-fetch.ts'

export interface ConnectFlags {
  readonly profile?: string | undefined
  readonly region?: string | undefined
  readonly endpoint?: string | undefined
  readonly instance?: string | undefined
  readonly 'api-version'?: string | undefined
}

export interface Connection {
  readonly client: CccClient
  readonly fetch: typeof fetch
  readonly instanceId: string
  readonly region: string
  /** The instance's API generation: --api-version, else the profile's, else 2017-07-05. */
  readonly apiVersion: ApiVersion
  readonly endpoint?: string
  readonly profile?: string
}

export function profileStore(io: CliIo): ProfileStore {
  return new ProfileStore(configDir(io.env), new KeyringStore())
}

/**
 * Flags win over the profile, the profile over the defaults; credentials as resolveCredentials says.
 * `named` says where a refused value came from, for a caller whose values are not all typed flags
 * (sync reads them from sync.json).
 */
export async function connect(io: CliIo, flags: ConnectFlags, named: (flag: 'endpoint' | 'region') => string = (flag) => `--${flag}`): Promise<Connection> {
  // As a profile's are checked: an endpoint's user and password would go into the journal, and
  // a region with a space or a slash would become a host name nobody can reach.
  const endpointCheck = flags.endpoint === undefined ? undefined : EndpointSchema.safeParse(flags.endpoint)
  // The value is not repeated: it may hold a password.
  if (endpointCheck && !endpointCheck.success) throw new UsageError(`${named('endpoint')} ${endpointCheck.error.issues[0]?.message ?? 'is not a URL'}`)
  const regionCheck = flags.region === undefined ? undefined : RegionSchema.safeParse(flags.region)
  if (regionCheck && !regionCheck.success) throw new UsageError(`${named('region')} "${flags.region}" ${regionCheck.error.issues[0]?.message ?? 'is not a region'}`)
  const resolved = await resolveCredentials(io.env, flags.profile, profileStore(io))
  if (resolved.ignoredProfile) io.stderr.write(`warning: ALIBABA_CLOUD_ACCESS_KEY_ID is set, so --profile ${resolved.ignoredProfile} is not used\n`)
  const profile = resolved.profile
  const instanceId = flags.instance ?? profile?.instanceId
  if (!instanceId) throw new UsageError('--instance <id> is required (or a profile that names an instance)')
  const region = flags.region ?? profile?.region ?? DEFAULT_REGION
  const endpoint = flags.endpoint ?? profile?.endpoint
  const apiVersion = apiVersionOf(flags['api-version'], profile?.apiVersion)
  const fetchFn = createCliFetch()
  // An instance of the other generation is told as such (Api.InstanceIsV2/V1), not as unknown.
  const client = new GenerationAwareClient({ credentials: resolved.credentials, region, version: apiVersion, fetch: fetchFn, ...(endpoint ? { endpoint } : {}) })
  return { client, fetch: fetchFn, instanceId, region, apiVersion, ...(endpoint ? { endpoint } : {}), ...(profile ? { profile: profile.name } : {}) }
}
