import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'

/**
 * Node's fetch, honouring HTTP_PROXY / HTTPS_PROXY / NO_PROXY as curl and the Alibaba Cloud CLI
 * do: servers in call centres often reach the internet only through a proxy. One agent for the
 * whole run, so connections are kept alive and reused across thousands of small files.
 */
export function createCliFetch(): typeof fetch {
  const dispatcher = new EnvHttpProxyAgent({ keepAliveTimeout: 30_000, connections: 128 })
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch
}
