import type { RecordingKind } from '../../../common/api-version.ts'
import { CccError } from '../../../common/errors.ts'
import type { RecordingUrl } from '../client.ts'
import type { RpcCaller } from '../list-shape.ts'
import { legContactId, parseContactName } from './names.ts'
import { getMonoRecording, getMultiChannelRecording, listMonoRecordings } from './recordings.ts'

/**
 * The runner's RecordingResolver for a 2.0 export: an export name (names.ts) to the action that
 * gives its presigned OSS URL. Asked just in time by the URL pipeline, and again by file-job's
 * renewUrl when a URL expired, as for 1.0.
 */
export class V2RecordingResolver {
  constructor(
    private readonly rpc: RpcCaller,
    private readonly kind: RecordingKind,
  ) {}

  async downloadRecording(instanceId: string, name: string, options: { signal?: AbortSignal } = {}): Promise<RecordingUrl> {
    if (this.kind === 'per-agent') return this.leg(instanceId, name, options)
    const parsed = parseContactName(name)
    if (!parsed) throw notContactName(name)
    return parsed.ext === 'mkv'
      ? getMultiChannelRecording(this.rpc, instanceId, parsed.contactId, options)
      : getMonoRecording(this.rpc, instanceId, parsed.contactId, options)
  }

  private async leg(instanceId: string, name: string, options: { signal?: AbortSignal }): Promise<RecordingUrl> {
    const contactId = legContactId(name)
    if (!contactId) throw notContactName(name)
    const legs = await listMonoRecordings(this.rpc, instanceId, contactId, options)
    const leg = legs.find((l) => l.fileName === name)
    if (!leg || !/^https?:\/\//i.test(leg.url)) {
      throw new CccError({ code: 'NotExist.Record', message: `ListMonoRecordings for contact ${contactId} has no leg ${name}` })
    }
    return { url: leg.url, fileName: leg.fileName }
  }
}

function notContactName(name: string): CccError {
  return new CccError({
    code: 'Api.NotContactName',
    message: `${name}: a CCC 2.0 recording is found by its contact ID; this name is not <contactId>.wav or <contactId>.mkv`,
  })
}
