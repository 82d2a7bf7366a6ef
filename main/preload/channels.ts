/**
 * The contract's method and event names without its zod schemas: the preload runs in every window
 * and must stay small. `satisfies` makes a missing or extra name a compile error, so this list
 * cannot drift from main/common/api.ts.
 */
import type { EventName, Method } from '../common/api.ts'

const METHOD_SET = {
  'app:info': true,
  'settings:get': true,
  'settings:set': true,
  'profiles:list': true,
  'profiles:save': true,
  'profiles:remove': true,
  'profiles:setDefault': true,
  'profiles:test': true,
  'dialog:pickFolder': true,
  'dialog:pickFile': true,
  'import:preview': true,
  'import:names': true,
  'import:count': true,
  'export:start': true,
  'export:pause': true,
  'export:resume': true,
  'export:cancel': true,
  'export:setLimits': true,
  'export:files': true,
  'export:retryGroup': true,
  'export:saveGroup': true,
  'export:retryFailed': true,
  'exports:history': true,
  'exports:pauseAll': true,
  'exports:resumeAll': true,
  'exports:forget': true,
  'exports:verify': true,
  'shell:openPath': true,
  'shell:reveal': true,
  'sync:status': true,
  'sync:install': true,
  'sync:remove': true,
} as const satisfies Record<Method, true>

const EVENT_SET = { 'export:progress': true } as const satisfies Record<EventName, true>

export const METHOD_NAMES = Object.keys(METHOD_SET) as readonly Method[]
export const EVENT_NAMES = Object.keys(EVENT_SET) as readonly EventName[]
