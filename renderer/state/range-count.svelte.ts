import type { RangeCount } from '../../main/common/api.ts'
import { port } from './port.ts'

/** A previewed date range's calls, counted with the chosen profile (issue 13 item 6). */
class RangeCountStore {
  value = $state.raw<RangeCount | null>(null)
  loading = $state(false)
}

export const rangeCount = new RangeCountStore()

let seq = 0

/** Counts the range; a failure leaves it uncounted (the export's own listing will say what is wrong). */
export async function countRange(token: string | undefined, profile: string): Promise<void> {
  const mine = ++seq
  rangeCount.value = null
  if (token === undefined || profile === '') return
  rangeCount.loading = true
  try {
    const value = await port()['import:count']({ token, profile })
    if (mine === seq) rangeCount.value = value
  } catch {
    if (mine === seq) rangeCount.value = null
  } finally {
    if (mine === seq) rangeCount.loading = false
  }
}
