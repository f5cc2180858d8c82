// Optimizer updates in WebAssembly SIMD: plain SGD, p ← p − η·g. float64 numbers two per vector;
// float32 numbers in float32, four per vector (p − fl32(η·g) with η rounded to float32, as the
// JavaScript loop does, kernels/optim.ts), so both kernels give the same bits.
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

function sgd32(): FuncDef {
  // p − fl32(η·g) on the lanes loaded by `load` and stored by `store` (four, two or one numbers)
  const update = (load: (at: number) => number[], store: number[]): number[] => [
    ...op.get(P),
    ...op.get(P), ...load(0),
    ...op.get(G), ...load(0), ...op.get(LRV), ...op.f32x4Mul,
    ...op.f32x4Sub, ...store,
  ];
  return {
    name: "sgd32",
    params: 5,
    locals: [[1, I32], [1, V128]],
    body: [
      ...op.get(LR), ...op.load32Splat(0), ...op.set(LRV),
      // pairs in twos (whole vectors), then an odd pair, then the odd number
      ...countDown(K, [...op.get(PAIRS), ...op.i32(1), ...op.shrU], [...update(op.v128Load, op.v128Store(0)), ...bump(P, ["const", 16]), ...bump(G, ["const", 16])]),
      ...op.get(PAIRS), ...op.i32(1), ...op.and, ...op.if,
      ...update(op.load64Zero, op.store64Lane0(0)), ...bump(P, ["const", 8]), ...bump(G, ["const", 8]),
      ...op.end,
      ...op.get(TAIL), ...op.if, ...update(op.load32Zero, [...op.f32x4ExtractLane(0), ...op.f32Store(0)]), ...op.end,
    ],
  };
}

/** sgd32 and sgd64. */
export function updateFunctions(): FuncDef[] {
  return [sgd32(), sgd64()];
}
