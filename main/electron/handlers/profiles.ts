import type { ProfileSummary } from '../../common/api.ts'
import { maskAccessKeyId } from '../../common/redact.ts'
import { CccClient } from '../../engine/ccc/client.ts'
import { testConnection } from '../../engine/credentials/connection-test.ts'
import { GenerationAwareClient } from '../../engine/credentials/generation-client.ts'
import type { Profile } from '../../engine/credentials/profile-schema.ts'
import type { Connection } from '../../engine/export/exports.ts'
import { type AreaContext, HandlerError, type HandlerSlice } from './context.ts'

type ProfileMethods = 'profiles:list' | 'profiles:save' | 'profiles:remove' | 'profiles:setDefault' | 'profiles:test'

/** Saved connections: the secret goes to the keychain once and never comes back. */
export function profileHandlers(ctx: AreaContext): HandlerSlice<ProfileMethods> {
  const profiles = ctx.profiles
  return {
    'profiles:list': async () => {
      const file = await profiles.read()
      return file.profiles.map((p) => summaryOf(p, file.defaultProfile))
    },
    'profiles:save': async ({ profile, secret, securityToken }) => {
      // An edit may leave the AccessKey ID out: the renderer only ever saw it masked.
      const accessKeyId = profile.accessKeyId ?? (await profiles.get(profile.name))?.accessKeyId ?? ''
      const saved = await profiles.save({ ...profile, accessKeyId }, secret, securityToken === undefined ? {} : { securityToken })
      return summaryOf(saved, await profiles.defaultName())
    },
    'profiles:remove': async ({ name }) => {
      await profiles.remove(name)
    },
    'profiles:setDefault': async ({ name }) => {
      await profiles.setDefault(name)
    },
    'profiles:test': async ({ name }) => {
      const { client, profile } = await clientFor(ctx, name)
      // The profile's generation first; the other is probed when that one does not know the instance.
      return testConnection(client, profile.instanceId, profile.apiVersion ? { apiVersion: profile.apiVersion } : {})
    },
  }
}

/** A client for a saved profile, with the profile's own region and endpoint. */
export async function clientFor(ctx: AreaContext, profileName: string): Promise<{ client: CccClient; profile: Profile }> {
  const profile = await ctx.profiles.get(profileName)
  if (!profile) throw new HandlerError('Profiles.NotFound', `No profile is named "${profileName}"`)
  const credentials = await ctx.profiles.credentialsFor(profileName)
  // An instance of the other generation is told as such (Api.InstanceIsV2/V1), not as unknown.
  const client = new GenerationAwareClient({ credentials, region: profile.region, fetch: ctx.deps.fetch, ...(profile.endpoint ? { endpoint: profile.endpoint } : {}) })
  return { client, profile }
}

/**
 * The export service's connection in the app: the export's profile, else the default one. The
 * profile's region and endpoint win over the journal's: the profile is where the user edits them.
 */
export async function clientForConnection(ctx: AreaContext, connection: Connection): Promise<{ client: CccClient }> {
  const name = connection.profile ?? (await ctx.profiles.defaultName())
  if (!name) throw new HandlerError('Profiles.NotFound', 'This export names no profile, and there is no default profile')
  return clientFor(ctx, name)
}

function summaryOf(p: Profile, defaultName: string | undefined): ProfileSummary {
  return {
    name: p.name,
    region: p.region,
    instanceId: p.instanceId,
    accessKeyIdMasked: maskAccessKeyId(p.accessKeyId),
    ...(p.endpoint ? { endpoint: p.endpoint } : {}),
    ...(p.outputDir ? { outputDir: p.outputDir } : {}),
    ...(p.retentionDays ? { retentionDays: p.retentionDays } : {}),
    ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}),
    ...(p.hasSecurityToken ? { hasSecurityToken: true } : {}),
    isDefault: p.name === defaultName,
  }
}
