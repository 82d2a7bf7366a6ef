/**
 * Runs in the e2e page before the app, in place of the preload: builds `window.ccc` with the real
 * build-api.ts over a Playwright binding (`__cccInvoke`, answered in the test process) and an event
 * registry the test feeds through `__cccEmit`. Bundled to an IIFE by harness.ts.
 */
import type { EventName, Method } from '../../main/common/api.ts'
import { buildApi } from '../../main/preload/build-api.ts'

interface BridgeWindow {
  __cccInvoke(method: Method, request: unknown): Promise<unknown>
  __cccEmit?: (event: EventName, payload: unknown) => void
  __cspViolations?: string[]
}

const w = window as unknown as BridgeWindow
const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

const api = buildApi(
  (method, request) => w.__cccInvoke(method, request),
  (event, listener) => {
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => {
      set.delete(listener)
    }
  },
)

Object.defineProperty(window, 'ccc', { value: api, enumerable: true })
w.__cccEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload)
}

// The CSP is part of what the e2e checks: any refusal is recorded for the test to assert on.
w.__cspViolations = []
document.addEventListener('securitypolicyviolation', (e) => {
  w.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
})
