import type { ApiEvents, ErrorDetails, EventName, Settings } from '../../common/api.ts'
import { CccError } from '../../common/errors.ts'
import type { Clock } from '../../engine/clock.ts'
import type { ProfileStore } from '../../engine/credentials/profiles.ts'
import type { SecretStore } from '../../engine/credentials/secret-store.ts'
import type { Logger } from '../../engine/log.ts'
import type { SchedulerHost } from '../../engine/schedule/os-jobs.ts'
import type { Handlers } from '../dispatch.ts'

/** What only the desktop shell can do; tests pass real stand-ins that record the calls. */
export interface HostPorts {
  readonly version: string
  readonly platform: string
  systemLocale(): string
  pickFolder(): Promise<string | null>
  pickFile(): Promise<string | null>
  /** A save dialog for a CSV; null when the user cancels. */
  pickSavePath(defaultName: string): Promise<string | null>
  openPath(path: string): Promise<void>
  reveal(path: string): void
}

export interface HandlerDeps {
  readonly host: HostPorts
  readonly secrets: SecretStore
  readonly configDir: string
  readonly fetch: typeof fetch
  readonly clock?: Clock
  readonly log?: Logger
  /** Pushes an event to the page (batched upstream: the runner emits at most ~10 a second). */
  readonly emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void
  /** Settings as loaded and after each save: the shell follows the UI's language (menu, quit question). */
  readonly onSettings?: (settings: Settings) => void
  /** The OS scheduler and the program its nightly job runs (issue 18); without it, History offers no nightly sync. */
  readonly sync?: SyncPorts
}

/** What "Keep this folder in sync nightly" needs of the machine: ports, so tests run it against stand-in tools. */
export interface SyncPorts {
  readonly scheduler: SchedulerHost
  /** `ccc-recordings` as a job runs it (program and first arguments); undefined when this computer has none. */
  program(): Promise<readonly string[] | undefined>
  /** The log folder the job writes to. */
  readonly logs: string
}

/** A refusal of the app's own, with a catalog code the page explains in its language (and `details` it may word). */
export class HandlerError extends CccError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super({ code, message, ...(details === undefined ? {} : { details }) })
    this.name = 'HandlerError'
  }
}

/** One area's methods: `createHandlers` joins the areas into the whole map. */
export type HandlerSlice<M extends keyof Handlers> = Pick<Handlers, M>

/** What the areas share: one profile store, so the exports area connects as the profiles area saved. */
export interface AreaContext {
  readonly deps: HandlerDeps
  readonly profiles: ProfileStore
}
