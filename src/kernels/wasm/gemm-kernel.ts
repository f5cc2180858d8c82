// The SIMD micro-kernel, generated for f32 (4 rows × 8 columns) and f64 (4 rows × 4 columns):
// for every 4-row strip of packed A and every panel of packed B, C_tile += A_strip · B_panel,
// eight v128 accumulators held in locals across the whole depth loop. C is float64 for both.
// NOTE: sgemm's f32x4 accumulators start from zero on every call (one depth block, ≤ 256 products
// from the driver) and are widened into the float64 C once at the end, so a float32 matmul rounds
// in float32 only within a block: K = 1e5 errs ~5e-8 relative instead of ~1.5e-5 (PyTorch: ~8e-7).
import { assemble, type FuncDef, I32, op, V128 } from "./assemble.js";

export const MR = 4;

// Parameters: a, b, c (byte addresses), strips, panels, depth K, ldc (float64 C row stride in bytes).
const [A, B, C, STRIPS, PANELS, K, LDC] = [0, 1, 2, 3, 4, 5, 6];
// i32 locals
const [S, P, KK, AP, BP, CP, CR] = [7, 8, 9, 10, 11, 12, 13];
// v128 locals: 8 accumulators (row r, vector v at ACC + 2r + v), two B vectors, one splat of A
const ACC = 14, B0 = 22, B1 = 23, AV = 24;

function kernel(name: string, esize: 4 | 8): FuncDef {
  const nr = esize === 4 ? 8 : 4; // columns per panel: two v128 of lanes
  const splat = esize === 4 ? op.load32Splat : op.load64Splat;
  const vadd = esize === 4 ? op.f32x4Add : op.f64x2Add;
  const vmul = esize === 4 ? op.f32x4Mul : op.f64x2Mul;
  const aStep = MR * esize, bStep = nr * esize, cStep = nr * 8;
  const forRows = (f: (r: number) => number[]): number[] => [0, 1, 2, 3].flatMap(f);
  const nextRow = [...op.get(CR), ...op.get(LDC), ...op.add, ...op.set(CR)];
  // accumulators: dgemm loads them from C, sgemm starts them at zero (row r at CR, CR += ldc)
  const loadAcc = esize === 8
    ? [...op.get(CP), ...op.set(CR), ...forRows((r) => [
      ...op.get(CR), ...op.v128Load(0), ...op.set(ACC + 2 * r),
      ...op.get(CR), ...op.v128Load(16), ...op.set(ACC + 2 * r + 1),
      ...nextRow,
    ])]
    : forRows((r) => [...op.v128Zero, ...op.set(ACC + 2 * r), ...op.v128Zero, ...op.set(ACC + 2 * r + 1)]);
  // C[row, at…at+1] += the f64 of f32 lanes (high: lanes 2, 3)
  const widenAdd = (acc: number, at: number, high: boolean): number[] => [
    ...op.get(CR), ...op.get(CR), ...op.v128Load(at),
    ...op.get(acc), ...(high ? [...op.get(acc), ...op.shuffleHigh] : []), ...op.f64x2PromoteLow,
    ...op.f64x2Add, ...op.v128Store(at),
  ];
  const storeAcc = [...op.get(CP), ...op.set(CR), ...forRows((r) => esize === 8
    ? [
      ...op.get(CR), ...op.get(ACC + 2 * r), ...op.v128Store(0),
      ...op.get(CR), ...op.get(ACC + 2 * r + 1), ...op.v128Store(16),
      ...nextRow,
    ]
    : [
      ...widenAdd(ACC + 2 * r, 0, false), ...widenAdd(ACC + 2 * r, 16, true),
      ...widenAdd(ACC + 2 * r + 1, 32, false), ...widenAdd(ACC + 2 * r + 1, 48, true),
      ...nextRow,
    ])];
  const step = [
    ...op.get(BP), ...op.v128Load(0), ...op.set(B0),
    ...op.get(BP), ...op.v128Load(16), ...op.set(B1),
    ...forRows((r) => [
      ...op.get(AP), ...splat(r * esize), ...op.set(AV),
      ...op.get(ACC + 2 * r), ...op.get(AV), ...op.get(B0), ...vmul, ...vadd, ...op.set(ACC + 2 * r),
      ...op.get(ACC + 2 * r + 1), ...op.get(AV), ...op.get(B1), ...vmul, ...vadd, ...op.set(ACC + 2 * r + 1),
    ]),
    ...op.get(AP), ...op.i32(aStep), ...op.add, ...op.set(AP),
    ...op.get(BP), ...op.i32(bStep), ...op.add, ...op.set(BP),
    ...op.get(KK), ...op.i32(1), ...op.sub, ...op.set(KK),
  ];
  const depthLoop = [
    ...op.get(K), ...op.set(KK),
    ...op.block, ...op.loop,
    ...op.get(KK), ...op.eqz, ...op.brIf(1),
    ...step,
    ...op.br(0), ...op.end, ...op.end,
  ];
  const panelBody = [
    // aP = a + s·K·aStep; bP = b + p·K·bStep; cP = c + s·MR·ldc + p·cStep
    ...op.get(A), ...op.get(S), ...op.get(K), ...op.mul, ...op.i32(aStep), ...op.mul, ...op.add, ...op.set(AP),
    ...op.get(B), ...op.get(P), ...op.get(K), ...op.mul, ...op.i32(bStep), ...op.mul, ...op.add, ...op.set(BP),
    ...op.get(C), ...op.get(S), ...op.i32(MR), ...op.mul, ...op.get(LDC), ...op.mul, ...op.add,
    ...op.get(P), ...op.i32(cStep), ...op.mul, ...op.add, ...op.set(CP),
    ...loadAcc, ...depthLoop, ...storeAcc,
  ];
  const counted = (idx: number, limit: number, body: number[]): number[] => [
    ...op.i32(0), ...op.set(idx),
    ...op.block, ...op.loop,
    ...op.get(idx), ...op.get(limit), ...op.geU, ...op.brIf(1),
    ...body,
    ...op.get(idx), ...op.i32(1), ...op.add, ...op.set(idx),
    ...op.br(0), ...op.end, ...op.end,
  ];
  return {
    name,
    params: 7,
    locals: [[7, I32], [11, V128]],
    body: counted(S, STRIPS, counted(P, PANELS, panelBody)),
  };
}

/** The module bytes: exports `sgemm` (f32 A and B, NR = 8) and `dgemm` (f64, NR = 4), both into a float64 C. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return assemble([kernel("sgemm", 4), kernel("dgemm", 8)]);
}
