import type { ApiRequest, RangeCount } from '../../main/common/api.ts'
import { port } from './port.ts'

/**
 * A previewed date range's calls, counted with the chosen profile, and its first recordings named
 * with the chosen template and filter (issue 13 item 6).
 */
class RangeCountStore {
  value = $state.raw<RangeCount | null>(null)
  loading = $state(false)
}

export const rangeCount = new RangeCountStore()

/** What the count and the names follow besides the range: the naming, the filter, the recording kind. */
export type RangeChoices = Omit<ApiRequest<'import:count'>, 'token' | 'profile'>

// Typing a template or a duration asks the service once it settles, not once per key.
const SETTLE_MS = 350

let seq = 0
let timer: ReturnType<typeof setTimeout> | undefined

/** Counts the range; a failure leaves it uncounted (the export's own listing will say what is wrong). */
export function countRange(token: string | undefined, profile: string, choices: RangeChoices = {}): Promise<void> {
  const mine = ++seq
  clearTimeout(timer)
  if (token === undefined || profile === '') {
    rangeCount.value = null
    rangeCount.loading = false
    return Promise.resolve()
  }
  rangeCount.loading = true
  return new Promise((resolve) => {
    timer = setTimeout(() => void ask(mine, { token, profile, ...choices }).then(resolve), SETTLE_MS)
  })
}

async function ask(mine: number, request: ApiRequest<'import:count'>): Promise<void> {
  try {
    const value = await port()['import:count'](request)
    if (mine === seq) rangeCount.value = value
  } catch {
    if (mine === seq) rangeCount.value = null
  } finally {
    if (mine === seq) rangeCount.loading = false
  }
}
