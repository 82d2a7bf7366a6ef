import type { CallOptions } from './client.ts'
import type { RpcParams } from './sign.ts'

/** The one thing the listing calls need of a client: a signed RPC call (CccClient.call). */
export interface RpcCaller {
  call(action: string, params: RpcParams, options?: CallOptions): Promise<Record<string, unknown>>
}

/**
 * POP's JSON is a transliteration of its XML: a list of one element can arrive as the element
 * itself, and an empty list as a missing key (or an empty string). Every list goes through here.
 */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (value === undefined || value === null || value === '') return []
  return [value]
}

/** `{Recordings: {Recording: [...]}}`: the wrapper object may be missing as well as the list. */
export function listIn(container: unknown, key: string): Record<string, unknown>[] {
  const wrapper = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[key] : undefined
  return asArray(wrapper).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
}

export function objectIn(container: unknown, key: string): Record<string, unknown> | undefined {
  const value = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[key] : undefined
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** Numbers come as numbers in JSON, as strings when the gateway rendered them from XML. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : null
  }
  return null
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return undefined
}
