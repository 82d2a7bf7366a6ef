import type { CallFilterInput } from '../../main/common/api.ts'
import { port } from './port.ts'
import { toUiError, type UiError } from './ui-error.ts'

/** The engine's presets (name-template.ts PRESETS) by key, and a template of one's own. */
export const NAMING_PRESETS = ['flat', 'by-date', 'by-date-agent', 'by-agent-date'] as const
export type NamingChoice = (typeof NAMING_PRESETS)[number] | 'custom'

export interface FilterForm {
  agent: string
  skillGroup: string
  direction: '' | 'inbound' | 'outbound' | 'internal'
  /** A number input binds a number, or null when emptied; '' before it is touched. */
  minDuration: number | string | null
  maxDuration: number | string | null
}

/** China Standard Time, as the CLI's --time-zone defaults (name-template.ts DEFAULT_TIME_ZONE). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** The IANA zones this runtime knows, China Standard Time first. */
export function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [DEFAULT_TIME_ZONE, ...all.filter((z) => z !== DEFAULT_TIME_ZONE)]
}

const emptyFilter = (): FilterForm => ({ agent: '', skillGroup: '', direction: '', minDuration: '', maxDuration: '' })

class NamingStore {
  choice = $state<NamingChoice>('flat')
  custom = $state('{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}')
  sample = $state.raw<readonly string[]>([])
  error = $state.raw<UiError | null>(null)
  filter = $state<FilterForm>(emptyFilter())
  /** The zone the names' dates and times are read in (the CLI's --time-zone). */
  timeZone = $state(DEFAULT_TIME_ZONE)
  /** `<recording>.json` beside each file (the CLI's --sidecar). */
  sidecar = $state(false)
}

export const naming = new NamingStore()

let seq = 0

export function resetNaming(): void {
  naming.choice = 'flat'
  naming.sample = []
  naming.error = null
  naming.filter = emptyFilter()
  naming.timeZone = DEFAULT_TIME_ZONE
  naming.sidecar = false
  seq++
}

/** The template's text as export:start and import:names take it (a preset by its key). */
export function templateText(): string {
  return naming.choice === 'custom' ? naming.custom : naming.choice
}

/** The first names the chosen template gives the previewed list; only the latest answer lands. */
export async function refreshNames(token: string | undefined, listed: boolean): Promise<void> {
  const mine = ++seq
  naming.error = null
  if (token === undefined || listed || templateText().trim() === '') {
    naming.sample = []
    return
  }
  try {
    const sample = await port()['import:names']({ token, template: templateText(), ...zoneChoice() })
    if (mine === seq) naming.sample = sample
  } catch (e) {
    if (mine === seq) {
      naming.sample = []
      naming.error = toUiError(e)
    }
  }
}

function seconds(value: number | string | null): number | undefined {
  if (value === null || String(value).trim() === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/** The filter as export:start takes it, or undefined when no field is set. */
export function filterInput(): CallFilterInput | undefined {
  const f = naming.filter
  const min = seconds(f.minDuration)
  const max = seconds(f.maxDuration)
  const filter: CallFilterInput = {
    ...(f.agent.trim() ? { agent: f.agent.trim() } : {}),
    ...(f.skillGroup.trim() ? { skillGroup: f.skillGroup.trim() } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
    ...(min === undefined ? {} : { minDuration: min }),
    ...(max === undefined ? {} : { maxDuration: max }),
  }
  return Object.keys(filter).length > 0 ? filter : undefined
}

/** The zone when it is not the default, as the CLI passes --time-zone only when given. */
function zoneChoice(): { timeZone?: string } {
  return naming.timeZone === DEFAULT_TIME_ZONE ? {} : { timeZone: naming.timeZone }
}

/** What a date range's count and first names follow (import:count): the template, zone and filter. */
export function rangeNaming(): { template?: string; timeZone?: string; filter?: CallFilterInput } {
  const template = templateText().trim()
  const filter = filterInput()
  return { ...(template === '' ? {} : { template }), ...zoneChoice(), ...(filter ? { filter } : {}) }
}

/** What export:start gains from the naming, zone, sidecar and filters: nothing for today's flat layout and no filter. */
export function callChoices(): { nameTemplate?: string; timeZone?: string; sidecar?: boolean; filter?: CallFilterInput } {
  const filter = filterInput()
  return {
    ...(naming.choice === 'flat' ? {} : { nameTemplate: templateText() }),
    ...zoneChoice(),
    ...(naming.sidecar ? { sidecar: true } : {}),
    ...(filter ? { filter } : {}),
  }
}
