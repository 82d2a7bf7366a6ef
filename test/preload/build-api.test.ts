import { describe, expect, it } from 'vitest'
import { EVENTS, METHODS, type EventName, type Method } from '../../main/common/api.ts'
import { buildApi, unwrap } from '../../main/preload/build-api.ts'
import { EVENT_NAMES, METHOD_NAMES } from '../../main/preload/channels.ts'
import { progress } from '../renderer/fake-api.ts'

function recorder(reply: (method: Method, request: unknown) => unknown = () => ({ ok: true, value: null })) {
  const invoked: { method: Method; args: unknown[] }[] = []
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const api = buildApi(
    async (...args) => {
      invoked.push({ method: args[0], args: args.slice(1) })
      return reply(args[0], args[1])
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
  )
  return { api, invoked, listeners }
}

describe('buildApi', () => {
  it('has one function per contract method plus on, and nothing else', () => {
    const { api } = recorder()
    expect(Object.keys(api).sort()).toEqual([...METHODS, 'on'].sort())
    for (const key of Object.keys(api)) expect(typeof (api as Record<string, unknown>)[key]).toBe('function')
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('keeps its name lists equal to the contract’s', () => {
    expect([...METHOD_NAMES].sort()).toEqual([...METHODS].sort())
    expect([...EVENT_NAMES].sort()).toEqual([...EVENTS].sort())
  })

  it('invokes the method’s own channel with exactly the request, and returns the value', async () => {
    const { api, invoked } = recorder((method, request) => ({ ok: true, value: { method, request } }))
    const reply = await (api['export:pause'] as (...a: unknown[]) => Promise<unknown>)({ id: 'e1' }, 'smuggled')
    expect(reply).toEqual({ method: 'export:pause', request: { id: 'e1' } })
    expect(invoked).toEqual([{ method: 'export:pause', args: [{ id: 'e1' }] }])
    expect(await api['app:info'](undefined)).toEqual({ method: 'app:info', request: undefined })
  })

  it('rejects with plain {code, message} data on {ok:false}', async () => {
    const { api } = recorder(() => ({ ok: false, error: { code: 'NotExist.Instance', message: 'no such instance' } }))
    const error = await api['profiles:test']({ name: 'p' }).catch((e: unknown) => e)
    expect(error).toEqual({ code: 'NotExist.Instance', message: 'no such instance' })
    expect(Object.getPrototypeOf(error)).toBe(Object.prototype)
  })

  it("keeps a failure's details, so the page can word it in its language", async () => {
    const details = { reason: 'time', entry: '25:00,1M', position: 1, part: '25:00' }
    const { api } = recorder(() => ({ ok: false, error: { code: 'Timetable.Invalid', message: 'rateTimetable: no', details } }))
    const error = await api['settings:set']({ rateTimetable: '25:00,1M' }).catch((e: unknown) => e)
    expect(error).toEqual({ code: 'Timetable.Invalid', message: 'rateTimetable: no', details })
    expect(Object.isFrozen((error as { details: object }).details)).toBe(true)
  })

  it('turns a broken invoke or a reply that is not an envelope into failures too', async () => {
    const broken = buildApi(
      async () => {
        throw new Error("No handler registered for 'app:info'")
      },
      () => () => {},
    )
    await expect(broken['app:info'](undefined)).rejects.toEqual({ code: 'Ipc.Failed', message: "No handler registered for 'app:info'" })
    const { api } = recorder(() => 'surprise')
    await expect(api['app:info'](undefined)).rejects.toMatchObject({ code: 'Ipc.BadReply' })
  })

  it('delivers only payloads to listeners, and unsubscribes once', () => {
    const { api, listeners } = recorder()
    const seen: unknown[] = []
    const off = api.on('export:progress', (p) => seen.push(p))
    const payload = progress()
    for (const l of listeners.get('export:progress') ?? []) l(payload)
    expect(seen).toEqual([payload])
    off()
    off()
    expect(listeners.get('export:progress')?.size).toBe(0)
  })

  it('refuses unknown events and non-function listeners', () => {
    const { api } = recorder()
    expect(() => api.on('app:quit' as EventName, () => {})).toThrow(TypeError)
    expect(() => api.on('export:progress', 'x' as unknown as () => void)).toThrow(TypeError)
  })
})

describe('unwrap', () => {
  it('returns the value of an ok envelope, even undefined', () => {
    expect(unwrap({ ok: true, value: 3 })).toBe(3)
    expect(unwrap({ ok: true })).toBeUndefined()
  })
})
