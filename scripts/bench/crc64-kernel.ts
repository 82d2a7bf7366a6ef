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
  i64Load: 0x29, i32Load8U: 0x2d, block: 0x02, loop: 0x03, brIf: 0x0d, br: 0x0c, end: 0x0b, void: 0x40,
} as const
// Locals: 0 = crc (i64, inverted), 1 = pointer (i32), 2 = bytes left (i32).
const code: number[] = []
const emit = (...x: number[]): void => void code.push(...x)
/** Table `t` (at t·2048) at byte ((crc >> shift) & 255). */
const lookup = (t: number, shift: number): void => {
  emit(OP.localGet, 0)
  if (shift > 0) emit(OP.i64Const, ...sleb(shift), OP.i64ShrU)
  emit(OP.i32WrapI64)
  if (shift < 56) emit(OP.i32Const, ...sleb(255), OP.i32And)
  emit(OP.i32Const, 3, OP.i32Shl, OP.i64Load, 3, ...uleb(t * 2048))
}
// Eight bytes at a time: crc ^= the next 8 bytes, then one lookup per byte.
emit(OP.block, OP.void, OP.loop, OP.void)
emit(OP.localGet, 2, OP.i32Const, 8, OP.i32LtU, OP.brIf, 1)
emit(OP.localGet, 0, OP.localGet, 1, OP.i64Load, 3, 0, OP.i64Xor, OP.localSet, 0)
for (let j = 0; j < 8; j++) {
  lookup(7 - j, 8 * j)
  if (j > 0) emit(OP.i64Xor)
}
emit(OP.localSet, 0)
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

const body = [0x00, ...code] // no locals beyond the parameters
const bytes = Buffer.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, 0x03, 0x7e, 0x7f, 0x7f, 0x01, 0x7e]])), // (i64, i32, i32) -> i64
  ...section(3, vec([[0x00]])),
  ...section(5, vec([[0x00, ...uleb(2)]])), // two pages: 16 KiB of tables, 112 KiB of input
  ...section(7, vec([[...wasmName('memory'), 0x02, 0x00], [...wasmName('update'), 0x00, 0x00]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
])
new WebAssembly.Module(bytes) // validates
console.log(bytes.toString('base64'))

export {}
