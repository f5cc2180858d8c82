// Optimizer updates in WebAssembly SIMD: plain SGD, p ← p − η·g. float64 numbers two per vector.
// float32 numbers as PyTorch updates them (p.add_(g, alpha = −η) in float32, a fused multiply-add):
// p + g·(−fl32(η)), rounded once — four per vector with relaxed SIMD's multiply-add where the runtime
// fuses it (relaxed.ts); without it, two per vector widened to float64 (the product of two float32 is
// exact there) and rounded to float32, as the JavaScript loop does (kernels/optim.ts).
import { bump, countDown, type FuncDef, I32, op, V128 } from "./assemble.js";

// sgd(p, g, pairs, lr, tail): η at byte address `lr` (float64, or float32 for sgd32); `pairs` pairs of
// numbers, then one more number if tail ≠ 0
const [P, G, PAIRS, LR, TAIL] = [0, 1, 2, 3, 4];
const [K] = [5];
const [LRV] = [6];

function sgd64(): FuncDef {
  // [p0 p1] − η·[g0 g1]
  const pair = [
    ...op.get(P),
    ...op.get(P), ...op.v128Load(0),
    ...op.get(G), ...op.v128Load(0), ...op.get(LRV), ...op.f64x2Mul,
    ...op.f64x2Sub, ...op.v128Store(0),
  ];
  const one = [
    ...op.get(P), ...op.get(P), ...op.f64Load(0), ...op.get(G), ...op.f64Load(0), ...op.get(LR), ...op.f64Load(0), ...op.f64Mul, ...op.f64Sub,
    ...op.f64Store(0),
  ];
  return {
    name: "sgd64",
    params: 5,
    locals: [[1, I32], [1, V128]],
    body: [
      ...op.get(LR), ...op.load64Splat(0), ...op.set(LRV),
      ...countDown(K, op.get(PAIRS), [...pair, ...bump(P, ["const", 16]), ...bump(G, ["const", 16])]),
      ...op.get(TAIL), ...op.if, ...one, ...op.end,
    ],
  };
}

function sgd32(fma: boolean): FuncDef {
  if (!fma) return sgd32Widened();
  // g·(−η) + p, fused, on the lanes loaded by `load` and stored by `store` (four, two or one numbers)
  const update = (load: (at: number) => number[], store: number[]): number[] => [
    ...op.get(P),
    ...op.get(G), ...load(0), ...op.get(LRV), ...op.get(P), ...load(0), ...op.f32x4RelaxedMadd, ...store,
  ];
  return {
    name: "sgd32",
    params: 5,
    locals: [[1, I32], [1, V128]],
    body: [
      ...op.get(LR), ...op.load32Splat(0), ...op.f32x4Neg, ...op.set(LRV),
      // pairs in twos (whole vectors), then an odd pair, then the odd number
      ...countDown(K, [...op.get(PAIRS), ...op.i32(1), ...op.shrU], [...update(op.v128Load, op.v128Store(0)), ...bump(P, ["const", 16]), ...bump(G, ["const", 16])]),
      ...op.get(PAIRS), ...op.i32(1), ...op.and, ...op.if,
      ...update(op.load64Zero, op.store64Lane0(0)), ...bump(P, ["const", 8]), ...bump(G, ["const", 8]),
      ...op.end,
      ...op.get(TAIL), ...op.if, ...update(op.load32Zero, [...op.f32x4ExtractLane(0), ...op.f32Store(0)]), ...op.end,
    ],
  };
}

function sgd32Widened(): FuncDef {
  // [p0 p1] − η·[g0 g1] in float64, rounded to float32
  const pair = [
    ...op.get(P),
    ...op.get(P), ...op.load64Zero(0), ...op.f64x2PromoteLow,
    ...op.get(G), ...op.load64Zero(0), ...op.f64x2PromoteLow, ...op.get(LRV), ...op.f64x2Mul,
    ...op.f64x2Sub, ...op.f32x4DemoteZero, ...op.store64Lane0(0),
  ];
  const one = [
    ...op.get(P), ...op.get(P), ...op.f32Load(0), ...op.f64PromoteF32, ...op.get(G), ...op.f32Load(0), ...op.f64PromoteF32,
    ...op.get(LR), ...op.f32Load(0), ...op.f64PromoteF32, ...op.f64Mul, ...op.f64Sub, ...op.f32DemoteF64, ...op.f32Store(0),
  ];
  return {
    name: "sgd32",
    params: 5,
    locals: [[1, I32], [1, V128]],
    body: [
      ...op.get(LR), ...op.load32Splat(0), ...op.f64x2PromoteLow, ...op.set(LRV),
      ...countDown(K, op.get(PAIRS), [...pair, ...bump(P, ["const", 8]), ...bump(G, ["const", 8])]),
      ...op.get(TAIL), ...op.if, ...one, ...op.end,
    ],
  };
}

/** sgd32 (`fma`: with relaxed SIMD's multiply-add, which the runtime fuses) and sgd64. */
export function updateFunctions(fma: boolean): FuncDef[] {
  return [sgd32(fma), sgd64()];
}
