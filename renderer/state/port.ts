import type { CccApi } from '../../main/common/api.ts'

/** The one API the state modules talk to; set by `connect(api)`, never at module load. */
let current: CccApi | null = null

export function setPort(api: CccApi | null): void {
  current = api
}

export function port(): CccApi {
  if (current === null) throw new Error('renderer state used before connect(api)')
  return current
}
