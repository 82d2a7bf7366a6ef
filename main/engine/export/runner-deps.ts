import { API_V2, DEFAULT_RECORDING_KIND } from '../../common/api-version.ts'
import type { RecordingUrl } from '../ccc/client.ts'
import { V2RecordingResolver } from '../ccc/v2/resolver.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../log.ts'
import type { AdaptiveRateOptions } from './api-rate.ts'
import type { RestoreOptions } from './archive-restore.ts'
import type { BackoffPolicy } from './backoff.ts'
import type { BandwidthLimit } from './bandwidth.ts'
import type { SourceInfo } from './journal-events.ts'
import type { NetworkGateOptions } from './network-gate.ts'
import type { UrlPipelineOptions, UrlSource } from './url-pipeline.ts'
import { type ApiPolicy, withApiRetry } from './api-retry.ts'

/** The one CCC call the runner needs: a port, so tests and the app pass a real client. */
export interface RecordingResolver {
  downloadRecording(instanceId: string, fileName: string, options?: { signal?: AbortSignal }): Promise<RecordingUrl>
}

export interface RunnerDeps {
  readonly client: RecordingResolver
  /** For contacts and date-range exports; by default `client`, when it can make any call (CccClient can). */
  readonly rpc?: RpcCaller
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  readonly log?: Logger
  readonly backoff?: BackoffPolicy
  readonly apiRate?: AdaptiveRateOptions
  /** How often progress may be pushed; about ten a second by default. */
  readonly progressIntervalMs?: number
  /** How far ahead presigned URLs are fetched. */
  readonly urlPipeline?: UrlPipelineOptions
  /** When the network counts as down, how it is probed, and when to give up (`--give-up-after`). */
  readonly network?: NetworkGateOptions
  /**
   * A byte budget shared with other exports (the app's global limit): when given, this export's own
   * maxBytesPerSecond is not applied, and setLimits' maxBytesPerSecond changes the shared one.
   */
  readonly bandwidth?: BandwidthLimit
  /** How archived 2.0 recordings are restored (batch size, polls, the bound): archive-restore.ts. */
  readonly restore?: RestoreOptions
  /** Makes renames into a folder durable; syncFolder by default. */
  readonly syncFolder?: (dir: string) => Promise<void>
}

/** The listing actions' caller: `deps.rpc`, or the client itself when it can make any call (CccClient can). */
export function rpcOf(deps: RunnerDeps): RpcCaller | undefined {
  if (deps.rpc) return deps.rpc
  const client = deps.client as Partial<RpcCaller>
  return typeof client.call === 'function' ? (deps.client as unknown as RpcCaller) : undefined
}

/**
 * The resolver for an export's files: a 2.0 export's journal header says so (issue 14), and its
 * names go to the 2020-07-01 actions through the RPC caller; every other export uses the client.
 * Read per call, since the header is the runner's and may be rebound.
 */
export function resolverFor(deps: RunnerDeps, source: () => SourceInfo): RecordingResolver {
  let v2: { kind: string; resolver: RecordingResolver } | undefined
  return {
    downloadRecording(instanceId, name, options) {
      const s = source()
      const rpc = s.api === API_V2 ? rpcOf(deps) : undefined
      if (!rpc) return deps.client.downloadRecording(instanceId, name, options)
      const kind = s.recording ?? DEFAULT_RECORDING_KIND
      if (v2?.kind !== kind) v2 = { kind, resolver: new V2RecordingResolver(rpc, kind) }
      return v2.resolver.downloadRecording(instanceId, name, options)
    },
  }
}

/** DownloadRecording under the export's API policy, its retries counted as the file job says. */
export function urlSource(client: RecordingResolver, api: ApiPolicy, instanceId: () => string): UrlSource {
  return (name, signal, tries) =>
    withApiRetry(api, (s) => client.downloadRecording(instanceId(), name, { signal: s }), signal, {
      onRetry: tries.onRetry,
      ...(tries.attempts ? { attempts: tries.attempts } : {}),
    }).then((r) => r.url)
}
