// The SIMD micro-kernel, generated for f32 (4 rows × 8 columns) and f64 (4 rows × 4 columns):
// for every packed 4-row strip of A and every packed panel of B, C_tile += A_strip · B_panel, eight
// v128 accumulators held in locals across the whole depth loop (one depth per iteration: unrolling spilled registers on V8 11.3). C is float64.
// NOTE: with `fma` (relaxed SIMD present and fused, relaxed.ts), each multiply-add of both kernels is
// one relaxed_madd: one rounding instead of two (13–15% faster here), so products differ from the
// SIMD128 module's in the last bits (nearer the exact sum). Every thread runs the same module, so
// results still do not depend on the thread count. Worked solutions are unaffected: their products
// are below the size where the WebAssembly GEMM takes over from the JavaScript one (gemm.ts).
// NOTE: sgemm's f32x4 accumulators start from zero on every call (one depth block, ≤ 256 products
// from the driver, or all of K up to 1024 for at most 128 rows: gemm.ts) and are widened into the float64 C once at the end, so a float32 matmul rounds
// in float32 only within a block: K = 1e5 errs ~5e-8 relative instead of ~1.5e-5 (PyTorch: ~8e-7).
// A product of one block over whole tiles skips the float64 tile (first = 2, 3: the same bits).
import { assemble, bump, type FuncDef, forRange, I32, type MemoryImport, op, V128 } from "./assemble.js";
import { gemmCols } from "./driver-kernel.js";
import { dotFunctions } from "./dot-kernel.js";
import { elementwiseFunctions } from "./elementwise-kernel.js";
import { im2colFunctions } from "./im2col-kernel.js";
import { packFunctions } from "./pack-kernel.js";
import { poolFunctions, poolThenFunctions } from "./pool-kernel.js";
import { updateFunctions } from "./update-kernel.js";

/** Rows per strip of A: float32 and float64. */
export const MR32 = 4, MR64 = 4;

// Parameters: a (packed strips), b (packed panels), c (float64 tile), strips, panels, depth K, ldc
// (tile row stride in bytes), first (1: the first depth block, which sets the tile instead of adding to it; 0: a
// later block, adding to it). sgemm also takes first = 2 (add) or 3 (set) with c and ldc a float32 C itself (one
// depth block only: the driver's direct mode), panels then 8·4 bytes apart instead of 8·8.
const [A, B, C, STRIPS, PANELS, K, LDC, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7];
// i32 locals: strip, panel, depth counter, A, B and C pointers
const [S, P, KK, AP, BP, CP, CR] = [8, 9, 10, 11, 12, 13, 14];
// v128 locals: 2·mr accumulators (row r, vector v at ACC + 2r + v), two B vectors, one splat of A
const ACC = 15;

function kernel(name: string, esize: 4 | 8, mr: number, fma: boolean): FuncDef {
  const nr = esize === 4 ? 8 : 4; // columns per panel: two v128 of lanes
  const splat = esize === 4 ? op.load32Splat : op.load64Splat;
  const vadd = esize === 4 ? op.f32x4Add : op.f64x2Add;
  const vmul = esize === 4 ? op.f32x4Mul : op.f64x2Mul;
  const B0 = ACC + 2 * mr, B1 = B0 + 1, AV = B1 + 1;
  const aStep = mr * esize, bStep = nr * esize, cStep = nr * 8;
  const forRows = (f: (r: number) => number[]): number[] => Array.from({ length: mr }, (_, r) => r).flatMap(f);
  const nextRow = bump(CR, LDC);
  // accumulators: dgemm loads them from C after the first block, sgemm starts them at zero (row r at CR, CR += ldc)
  const zeroAcc = forRows((r) => [...op.v128Zero, ...op.set(ACC + 2 * r), ...op.v128Zero, ...op.set(ACC + 2 * r + 1)]);
  const loadAcc = esize === 8
    ? [...op.get(FIRST), ...op.if, ...zeroAcc, ...op.else, ...op.get(CP), ...op.set(CR), ...forRows((r) => [
      ...op.get(CR), ...op.v128Load(0), ...op.set(ACC + 2 * r),
      ...op.get(CR), ...op.v128Load(16), ...op.set(ACC + 2 * r + 1),
      ...nextRow,
    ]), ...op.end]
    : zeroAcc;
  // C[row, at…at+1] += the f64 of f32 lanes (high: lanes 2, 3)
  const widenAdd = (acc: number, at: number, high: boolean): number[] => [
    ...op.get(CR), ...op.get(CR), ...op.v128Load(at),
    ...op.get(acc), ...(high ? [...op.get(acc), ...op.shuffleHigh] : []), ...op.f64x2PromoteLow,
    ...op.f64x2Add, ...op.v128Store(at),
  ];
  // C[row, at…at+1] = the f64 of f32 lanes (the first block)
  const widenSet = (acc: number, at: number, high: boolean): number[] => [
    ...op.get(CR), ...op.get(acc), ...(high ? [...op.get(acc), ...op.shuffleHigh] : []), ...op.f64x2PromoteLow, ...op.v128Store(at),
  ];
  const widenRows = (w: typeof widenAdd): number[] => [...op.get(CP), ...op.set(CR), ...forRows((r) => [
    ...w(ACC + 2 * r, 0, false), ...w(ACC + 2 * r, 16, true), ...w(ACC + 2 * r + 1, 32, false), ...w(ACC + 2 * r + 1, 48, true),
    ...nextRow,
  ])];
  // direct (first = 2: add, 3: set): C is float32 itself, rows ldc apart; C[row, at…at+3] (+)= the f32 lanes.
  // f32(c + acc) is the bits of addTile32's f32(f64(c) + f64(acc)): double rounding is innocuous for a sum of two float32.
  const directRows = (add: boolean): number[] => [...op.get(CP), ...op.set(CR), ...forRows((r) => [0, 1].flatMap((v) => [
    ...op.get(CR), ...(add ? [...op.get(CR), ...op.v128Load(16 * v), ...op.get(ACC + 2 * r + v), ...op.f32x4Add] : op.get(ACC + 2 * r + v)),
    ...op.v128Store(16 * v),
  ]).concat(nextRow))];
  const storeAcc = esize === 8
    ? [...op.get(CP), ...op.set(CR), ...forRows((r) => [
      ...op.get(CR), ...op.get(ACC + 2 * r), ...op.v128Store(0),
      ...op.get(CR), ...op.get(ACC + 2 * r + 1), ...op.v128Store(16),
      ...nextRow,
    ])]
    : [
      ...op.get(FIRST), ...op.i32(2), ...op.and, ...op.if,
      ...op.get(FIRST), ...op.i32(1), ...op.and, ...op.if, ...directRows(false), ...op.else, ...directRows(true), ...op.end,
      ...op.else,
      ...op.get(FIRST), ...op.if, ...widenRows(widenSet), ...op.else, ...widenRows(widenAdd), ...op.end,
      ...op.end,
    ];
  // acc += a·b: relaxed_madd(a, b, acc) when fused, else mul then add
  const madd = (acc: number, b: number): number[] => fma
    ? [...op.get(AV), ...op.get(b), ...op.get(acc), ...(esize === 4 ? op.f32x4RelaxedMadd : op.f64x2RelaxedMadd), ...op.set(acc)]
    : [...op.get(acc), ...op.get(AV), ...op.get(b), ...vmul, ...vadd, ...op.set(acc)];
  // one step of k at depth offset u (0 or 1) from AP and BP
  const step = (u: number): number[] => [
    ...op.get(BP), ...op.v128Load(u * bStep), ...op.set(B0),
    ...op.get(BP), ...op.v128Load(u * bStep + 16), ...op.set(B1),
    ...forRows((r) => [
      ...op.get(AP), ...splat(u * aStep + r * esize), ...op.set(AV),
      ...madd(ACC + 2 * r, B0), ...madd(ACC + 2 * r + 1, B1),
    ]),
  ];
  // do … while (bP ≠ bEnd), K ≥ 1: per step only the two pointer bumps and one compare-and-branch
  const depthLoop = [
    ...op.get(BP), ...op.get(K), ...op.i32(bStep), ...op.mul, ...op.add, ...op.set(KK),
    ...op.loop,
    ...step(0),
    ...bump(AP, ["const", aStep]), ...bump(BP, ["const", bStep]),
    ...op.get(BP), ...op.get(KK), ...op.ne, ...op.brIf(0),
    ...op.end,
  ];
  const panelBody = [
    // aP = a + s·K·aStep; bP = b + p·K·bStep; cP = c + s·MR·ldc + p·cStep
    ...op.get(A), ...op.get(S), ...op.get(K), ...op.mul, ...op.i32(aStep), ...op.mul, ...op.add, ...op.set(AP),
    ...op.get(B), ...op.get(P), ...op.get(K), ...op.mul, ...op.i32(bStep), ...op.mul, ...op.add, ...op.set(BP),
    ...op.get(C), ...op.get(S), ...op.i32(mr), ...op.mul, ...op.get(LDC), ...op.mul, ...op.add,
    ...op.get(P), ...op.i32(cStep), ...op.mul, ...(esize === 4 ? [...op.get(FIRST), ...op.i32(1), ...op.shrU, ...op.shrU] : []), ...op.add, ...op.set(CP),
    ...loadAcc, ...depthLoop, ...storeAcc,
  ];
  return {
    name,
    params: 8,
    locals: [[7, I32], [2 * mr + 3, V128]],
    body: forRange(P, PANELS, forRange(S, STRIPS, panelBody)),
  };
}

/**
 * The module bytes: `sgemm` (f32, NR = 8) and `dgemm` (f64, NR = 4) into a float64 tile, packing and
 * write-back (pack-kernel.ts), SGD (update-kernel.ts), and the blocked loops over a range of columns
 * (driver-kernel.ts: `gemmCols32`, `gemmCols64`), im2col and col2im (im2col-kernel.ts), max pooling's argmax and its values or backward (pool-kernel.ts), ReLU, its backward's selection and addition (elementwise-kernel.ts), on a plain or a shared memory;
 * `fma`: both kernels multiply-add with relaxed SIMD's relaxed_madd (only where the runtime fuses it).
 */
export function gemmModuleBytes(memory: MemoryImport = { shared: false }, { fma = false }: { readonly fma?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const base = [kernel("sgemm", 4, MR32, fma), kernel("dgemm", 8, MR64, fma), ...packFunctions(MR32), ...updateFunctions(fma), ...im2colFunctions(), ...poolFunctions(), ...elementwiseFunctions(), ...dotFunctions(fma)];
  const fn = (name: string): number => base.findIndex((f) => f.name === name);
  return assemble([
    ...base,
    gemmCols("gemmCols32", 4, MR32, "sgemm", "pack32x8", fn),
    gemmCols("gemmCols64", 8, MR64, "dgemm", "pack64x4", fn),
    ...poolThenFunctions(fn),
  ], memory);
}
