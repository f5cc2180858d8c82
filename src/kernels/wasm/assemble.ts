// A tiny WebAssembly binary writer: just enough to emit nabla's SIMD kernels without a toolchain.
// Opcodes follow the WebAssembly 2.0 core spec (SIMD in the 0xFD prefix space).

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F64 = 0x7c;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Instruction helpers (each returns its bytes). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  and: [0x71],
  or: [0x72],
  f32Gt: [0x5e],
  f32Ne: [0x5c],
  f32Eq: [0x5b],
  f64Gt: [0x64],
  f64Ne: [0x62],
  f64Eq: [0x61],
  ltU: [0x49],
  gtU: [0x4b],
  geU: [0x4f],
  select: [0x1b],
  shrU: [0x76],
  divU: [0x6e],
  call: (f: number) => [0x10, ...uleb(f)],
  /** if (no result) … else … end. */
  if: [0x04, 0x40],
  else: [0x05],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i32Store: (offset: number) => [0x36, 2, ...uleb(offset)],
  f32Load: (offset: number) => [0x2a, 2, ...uleb(offset)],
  f64Load: (offset: number) => [0x2b, 3, ...uleb(offset)],
  f32Store: (offset: number) => [0x38, 2, ...uleb(offset)],
  f64Store: (offset: number) => [0x39, 3, ...uleb(offset)],
  f32Zero: [0x43, 0, 0, 0, 0],
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  f64Add: [0xa0],
  f32Add: [0x92],
  f32Max: [0x97],
  f64Max: [0xa5],
  f64PromoteF32: [0xbb],
  f32DemoteF64: [0xb6],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  v128Load: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  load32Splat: (offset: number) => [0xfd, ...uleb(0x09), 2, ...uleb(offset)],
  load64Splat: (offset: number) => [0xfd, ...uleb(0x0a), 3, ...uleb(offset)],
  v128Zero: [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)],
  /** v128.const of four i32 lanes. */
  v128Const: (lanes: readonly [number, number, number, number]) => [0xfd, ...uleb(0x0c), ...lanes.flatMap((v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff])],
  /** i8x16.shuffle taking the high 8 bytes of the first operand into the low half. */
  shuffleHigh: [0xfd, ...uleb(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  f64x2PromoteLow: [0xfd, ...uleb(0x5f)],
  f32x4DemoteZero: [0xfd, ...uleb(0x5e)],
  /** Loads 8 bytes into the low half, zeros above. */
  load64Zero: (offset: number) => [0xfd, ...uleb(0x5d), 3, ...uleb(offset)],
  /** Loads 4 bytes into lane 0, zeros above. */
  load32Zero: (offset: number) => [0xfd, ...uleb(0x5c), 2, ...uleb(offset)],
  f32x4ExtractLane: (lane: number) => [0xfd, ...uleb(0x1f), lane],
  f32x4ReplaceLane: (lane: number) => [0xfd, ...uleb(0x20), lane],
  /** Stores the low 8 bytes. */
  store64Lane0: (offset: number) => [0xfd, ...uleb(0x5b), 3, ...uleb(offset), 0],
  f64x2Sub: [0xfd, ...uleb(0xf1)],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Gt: [0xfd, ...uleb(0x44)],
  f64x2Gt: [0xfd, ...uleb(0x4a)],
  f32x4Lt: [0xfd, ...uleb(0x43)],
  f64x2Lt: [0xfd, ...uleb(0x49)],
  /** a & ~b */
  v128Andnot: [0xfd, ...uleb(0x4f)],
  f32x4Ne: [0xfd, ...uleb(0x42)],
  f64x2Ne: [0xfd, ...uleb(0x48)],
  v128And: [0xfd, ...uleb(0x4e)],
  v128Or: [0xfd, ...uleb(0x50)],
  f32x4Eq: [0xfd, ...uleb(0x41)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  /** i8x16.shuffle with the given 16 lane bytes (0–15 the first operand, 16–31 the second). */
  shuffle: (lanes: readonly number[]) => [0xfd, ...uleb(0x0d), ...lanes],
  v128Bitselect: [0xfd, ...uleb(0x52)],
  f32x4Neg: [0xfd, ...uleb(0xe1)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  /** relaxed SIMD: a·b + c, fused or not (the runtime's choice). */
  f32x4RelaxedMadd: [0xfd, ...uleb(0x105)],
  f64x2RelaxedMadd: [0xfd, ...uleb(0x107)],
};

/** One exported function: i32 parameters, extra locals, body bytes (without the final end). */
export interface FuncDef {
  readonly name: string;
  readonly params: number;
  readonly locals: readonly (readonly [count: number, type: number])[];
  readonly body: readonly number[];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

/** The imported memory: plain, or shared between threads (a shared memory declares its maximum, in 64 KiB pages). */
export type MemoryImport = { readonly shared: false } | { readonly shared: true; readonly maxPages: number };

/** A module importing `env.memory` and exporting the given functions (all `(i32…) → ()`). */
export function assemble(funcs: readonly FuncDef[], memory: MemoryImport = { shared: false }): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(memory.maxPages)] : [0x00, ...uleb(1)];
  const imports = vec([[...name("env"), ...name("memory"), 0x02, ...limits]]);
  const codes = funcs.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ]);
}

/** `for (idx = 0; idx < limit; idx++) body` over i32 locals. */
export function forRange(idx: number, limit: number, body: readonly number[]): number[] {
  return [
    ...op.i32(0), ...op.set(idx),
    ...op.block, ...op.loop,
    ...op.get(idx), ...op.get(limit), ...op.geU, ...op.brIf(1),
    ...body,
    ...op.get(idx), ...op.i32(1), ...op.add, ...op.set(idx),
    ...op.br(0), ...op.end, ...op.end,
  ];
}

/** `for (counter = from; counter !== 0; counter--) body` over i32 locals. */
export function countDown(counter: number, from: readonly number[], body: readonly number[]): number[] {
  return [
    ...from, ...op.set(counter),
    ...op.block, ...op.loop,
    ...op.get(counter), ...op.eqz, ...op.brIf(1),
    ...body,
    ...op.get(counter), ...op.i32(1), ...op.sub, ...op.set(counter),
    ...op.br(0), ...op.end, ...op.end,
  ];
}

/** `local += step` (step: an i32 local, or a constant given as `["const", n]`). */
export function bump(local: number, step: number | readonly ["const", number]): number[] {
  return [...op.get(local), ...(typeof step === "number" ? op.get(step) : op.i32(step[1])), ...op.add, ...op.set(local)];
}
