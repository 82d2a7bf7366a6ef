/**
 * An error and the causes under it, outermost first: undici, D-Bus and Node wrap the useful one
 * (ECONNREFUSED, a proxy's 407, a keyring's "locked") a level or two down. Bounded, in case a chain
 * loops.
 */
export function causeChain(e: unknown, max = 8): unknown[] {
  const chain: unknown[] = []
  for (let cur: unknown = e; cur !== undefined && cur !== null && chain.length < max; cur = (cur as { cause?: unknown }).cause) chain.push(cur)
  return chain
}
