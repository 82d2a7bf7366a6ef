/**
 * Assembles the WebAssembly kernel of main/engine/download/crc64.ts (KERNEL there) and prints it
 * as base64, so the bytes can be checked and rebuilt: `npx tsx scripts/bench/crc64-kernel.ts`.
 * Kept here rather than in a build step: the kernel never changes, and the app needs no assembler.
 */

const uleb = (n: number): number[] => {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n) b |= 0x80
    out.push(b)
  } while (n)
  return out
}
const sleb = (n: number): number[] => {
  const out: number[] = []
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b]
    out.push(b | 0x80)
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
const wasmName = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s)]

const OP = {
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, i64Const: 0x42, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71,
  i32Shl: 0x74, i32LtU: 0x49, i32Eqz: 0x45, i64Xor: 0x85, i64ShrU: 0x88, i32WrapI64: 0xa7, i64ExtendI32U: 0xad,
  i64Load: 0x29, i32Load8U: 0x2d, i32ShrU: 0x76, block: 0x02, loop: 0x03, brIf: 0x0d, br: 0x0c, end: 0x0b, void: 0x40,
} as const
/** Bytes of each of the four streams in a block (LANE in crc64.ts). */
const LANE = 1024
/** Where the shift tables start, after the eight slicing tables (SHIFT_TABLES in crc64.ts). */
const SHIFT_AT = 8 * 256 * 8
// Locals: 0 = crc (i64, inverted), 1 = pointer (i32), 2 = bytes left (i32),
// 3, 4, 5 = the CRCs of streams two to four (i64), 6 = where stream one ends (i32),
// 7 + 2·s and 8 + 2·s = the low and high halves of stream s's register (i32), s = 0 … 3.
const code: number[] = []
const emit = (...x: number[]): void => void code.push(...x)
const halves = (local: number): [number, number] => {
  const s = local === 0 ? 0 : local - 2
  return [7 + 2 * s, 8 + 2 * s]
}
/** Splits an i64 register into its two i32 halves: byte lookups then cost three i32 operations. */
const split = (local: number): void => {
  const [lo, hi] = halves(local)
  emit(OP.localGet, local, OP.i32WrapI64, OP.localSet, lo)
  emit(OP.localGet, local, OP.i64Const, 32, OP.i64ShrU, OP.i32WrapI64, OP.localSet, hi)
}
/** Table `t` at `base + t·2048`, at byte `j` of the register (its address is the byte times 8). */
const lookup = (local: number, base: number, t: number, j: number): void => {
  const [lo, hi] = halves(local)
  const shift = 8 * (j % 4)
  emit(OP.localGet, j < 4 ? lo : hi)
  if (shift === 0) emit(OP.i32Const, 3, OP.i32Shl)
  else emit(OP.i32Const, ...sleb(shift - 3), OP.i32ShrU)
  emit(OP.i32Const, ...sleb(0x7f8), OP.i32And, OP.i64Load, 3, ...uleb(base + t * 2048))
}
/** local = the slicing-by-8 step over the 8 bytes at pointer + offset. */
const step = (local: number, offset: number): void => {
  emit(OP.localGet, local, OP.localGet, 1, OP.i64Load, 3, ...uleb(offset), OP.i64Xor, OP.localSet, local)
  split(local)
  for (let j = 0; j < 8; j++) {
    lookup(local, 0, 7 - j, j)
    if (j > 0) emit(OP.i64Xor)
  }
  emit(OP.localSet, local)
}
/** crc = crc advanced over LANE zero bytes (the shift tables), xor `local`. */
const shiftIn = (local: number): void => {
  split(0)
  for (let k = 0; k < 8; k++) {
    lookup(0, SHIFT_AT, k, k)
    if (k > 0) emit(OP.i64Xor)
  }
  emit(OP.localGet, local, OP.i64Xor, OP.localSet, 0)
}
// Blocks of four streams of LANE bytes, 8 bytes of each per round: four independent chains of
// lookups keep the CPU busy where one chain waits on each load. Streams two to four start from
// zero; the CRC is linear, so crc(A·B) = shift(crc(A), |B|) ^ crc₀(B) joins them afterwards.
emit(OP.block, OP.void, OP.loop, OP.void)
emit(OP.localGet, 2, OP.i32Const, ...sleb(4 * LANE), OP.i32LtU, OP.brIf, 1)
for (const l of [3, 4, 5]) emit(OP.i64Const, 0, OP.localSet, l)
emit(OP.localGet, 1, OP.i32Const, ...sleb(LANE), OP.i32Add, OP.localSet, 6)
emit(OP.loop, OP.void)
step(0, 0)
step(3, LANE)
step(4, 2 * LANE)
step(5, 3 * LANE)
emit(OP.localGet, 1, OP.i32Const, 8, OP.i32Add, OP.localSet, 1)
emit(OP.localGet, 1, OP.localGet, 6, OP.i32LtU, OP.brIf, 0, OP.end)
shiftIn(3)
shiftIn(4)
shiftIn(5)
emit(OP.localGet, 1, OP.i32Const, ...sleb(3 * LANE), OP.i32Add, OP.localSet, 1)
emit(OP.localGet, 2, OP.i32Const, ...sleb(4 * LANE), OP.i32Sub, OP.localSet, 2)
emit(OP.br, 0, OP.end, OP.end)
// Then eight bytes at a time: crc ^= the next 8 bytes, then one lookup per byte.
emit(OP.block, OP.void, OP.loop, OP.void)
emit(OP.localGet, 2, OP.i32Const, 8, OP.i32LtU, OP.brIf, 1)
step(0, 0)
emit(OP.localGet, 1, OP.i32Const, 8, OP.i32Add, OP.localSet, 1, OP.localGet, 2, OP.i32Const, 8, OP.i32Sub, OP.localSet, 2)
emit(OP.br, 0, OP.end, OP.end)
// The rest a byte at a time: crc = T0[(crc ^ byte) & 255] ^ (crc >> 8).
emit(OP.block, OP.void, OP.loop, OP.void)
emit(OP.localGet, 2, OP.i32Eqz, OP.brIf, 1)
emit(OP.localGet, 0, OP.localGet, 1, OP.i32Load8U, 0, 0, OP.i64ExtendI32U, OP.i64Xor, OP.i32WrapI64)
emit(OP.i32Const, ...sleb(255), OP.i32And, OP.i32Const, 3, OP.i32Shl, OP.i64Load, 3, 0)
emit(OP.localGet, 0, OP.i64Const, 8, OP.i64ShrU, OP.i64Xor, OP.localSet, 0)
emit(OP.localGet, 1, OP.i32Const, 1, OP.i32Add, OP.localSet, 1, OP.localGet, 2, OP.i32Const, 1, OP.i32Sub, OP.localSet, 2)
emit(OP.br, 0, OP.end, OP.end)
emit(OP.localGet, 0, OP.end)

const body = [...vec([[3, 0x7e], [9, 0x7f]]), ...code] // three i64 locals, nine i32
const bytes = Buffer.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, 0x03, 0x7e, 0x7f, 0x7f, 0x01, 0x7e]])), // (i64, i32, i32) -> i64
  ...section(3, vec([[0x00]])),
  ...section(5, vec([[0x00, ...uleb(2)]])), // two pages: 32 KiB of tables, 96 KiB of input
  ...section(7, vec([[...wasmName('memory'), 0x02, 0x00], [...wasmName('update'), 0x00, 0x00]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
])
new WebAssembly.Module(bytes) // validates
console.log(bytes.toString('base64'))

export {}
