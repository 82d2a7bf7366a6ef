/**
 * POP's XML rendering of a reply (the default when `Format` is not JSON): objects become nested
 * elements, an array repeats its element name once per item (`Recordings.Recording[]` becomes
 * `<Recordings><Recording>…</Recording><Recording>…</Recording></Recordings>`).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** Element text only: quotes stay as they are, like the quoted SignatureUrl on the wire. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c)
}

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('')
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

export function toXml(root: string, body: Record<string, unknown>): string {
  return `<?xml version='1.0' encoding='UTF-8'?>${element(root, body)}`
}
