import type { RecordingUrl } from '../ccc/client.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../log.ts'
import type { AdaptiveRateOptions } from './api-rate.ts'
import type { BackoffPolicy } from './backoff.ts'
import type { BandwidthLimit } from './bandwidth.ts'
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
  /** Makes renames into a folder durable; syncFolder by default. */
  readonly syncFolder?: (dir: string) => Promise<void>
}

/** The listing actions' caller: `deps.rpc`, or the client itself when it can make any call (CccClient can). */
export function rpcOf(deps: RunnerDeps): RpcCaller | undefined {
  if (deps.rpc) return deps.rpc
  const client = deps.client as Partial<RpcCaller>
  return typeof client.call === 'function' ? (deps.client as unknown as RpcCaller) : undefined
}

/** DownloadRecording under the export's API policy, its retries counted as the file job says. */
export function urlSource(client: RecordingResolver, api: ApiPolicy, instanceId: () => string): UrlSource {
  return (name, signal, tries) =>
    withApiRetry(api, (s) => client.downloadRecording(instanceId(), name, { signal: s }), signal, {
      onRetry: tries.onRetry,
      ...(tries.attempts ? { attempts: tries.attempts } : {}),
    }).then((r) => r.url)
}
