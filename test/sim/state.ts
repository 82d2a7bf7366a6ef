import { EventEmitter } from 'node:events'
import { ArchiveBook } from './archive.ts'
import { CallBook } from './calls.ts'
import { FaultBook, ThrottleStorm } from './faults.ts'
import { ObjectStore, defaultObjectSize } from './objects.ts'
import { newStats, type SimOptions, type SimStats } from './types.ts'

/** Everything the request handlers share. */
export interface SimState {
  readonly instanceId: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string | undefined
  readonly urlTtlSeconds: number
  readonly apiVersion: '2017-07-05' | '2020-07-01'
  readonly now: () => number
  /** Switchable at run time through Sim.set. */
  readonly flags: { ossOpen: boolean; permissions: boolean; quoteSignatureUrl: boolean }
  readonly oss: { readonly bucket: string; readonly accessKeyId: string; readonly accessKeySecret: string }
  readonly objects: ObjectStore
  readonly faults: FaultBook
  readonly storm: ThrottleStorm
  /** Calls for the listing actions, seeded with Sim.addCall. */
  readonly calls: CallBook
  /** Recordings in archive storage (Sim.archive, test/sim/archive.ts). */
  readonly archive: ArchiveBook
  readonly stats: SimStats
  /** `${AccessKeyId}\n${SignatureNonce}` → when it may be forgotten (ms). */
  readonly nonces: Map<string, number>
  /** 'http://127.0.0.1:PORT', known once listening. */
  endpoint: string
  /** For tests that act at a precise moment (kill a client mid-body): see SimEvents. */
  readonly events: EventEmitter<SimEvents>
}

export interface SimEvents {
  /** Body bytes of `name` written so far in one reply (from its first body byte). */
  chunk: [name: string, sent: number, status: number]
  /** A reply body went out to its last byte. */
  body: [name: string, status: number, start: number, end: number, size: number]
  /** A DownloadRecording call arrived (whatever its outcome). */
  resolve: [name: string]
  /** A streamed huge error reply (api-hostile with messageBytes) ended: bytes of it written, and whether all were. */
  hugeReply: [sent: number, complete: boolean]
  /** A RestoreArchivedRecordings call passed its checks: the contact IDs it named. */
  restore: [contactIds: readonly string[]]
  /** A listing call passed its checks (before any fault): the action and every request parameter. */
  list: [action: 'ListRecordingsByContactId' | 'ListCallDetailRecords' | 'GetCallDetailRecord' | 'ListMonoRecordings', params: Readonly<Record<string, string>>]
}

export function createState(options: SimOptions): SimState {
  const now = options.now ?? Date.now
  return {
    events: new EventEmitter<SimEvents>(),
    instanceId: options.instanceId ?? '9cfad875-6260-4a53-ab6e-b13e3fb31f7d',
    accessKeyId: options.accessKeyId ?? 'LTAI5tSimulatorKey01',
    accessKeySecret: options.accessKeySecret ?? 'sim-secret-0123456789abcdef',
    securityToken: options.securityToken,
    urlTtlSeconds: options.urlTtlSeconds ?? 3600,
    apiVersion: options.apiVersion ?? '2017-07-05',
    now,
    flags: {
      ossOpen: options.ossOpen ?? true,
      permissions: options.permissions ?? true,
      quoteSignatureUrl: options.quoteSignatureUrl ?? true,
    },
    // The bucket's own key, as CCC signs recording URLs with its service account, not the caller's.
    oss: { bucket: 'ccc-record-sim', accessKeyId: 'LTAI5tSimOssBucket00', accessKeySecret: 'sim-oss-secret-fedcba9876543210' },
    objects: new ObjectStore(options.defaultSize ?? defaultObjectSize, now),
    faults: new FaultBook(),
    storm: new ThrottleStorm(),
    calls: new CallBook(),
    archive: new ArchiveBook(),
    stats: newStats(),
    nonces: new Map(),
    endpoint: '',
  }
}
