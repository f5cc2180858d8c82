// Optimizer updates in WebAssembly SIMD: plain SGD, p ← p − η·g, two numbers per step. float32
// numbers are widened to float64 for the arithmetic and rounded once, as the JavaScript loop does,
// so both kernels give the same bits.
import { bump, countDown, type FuncDef, I32, op, V128 } from "./assemble.js";

// sgd(p, g, pairs, lr, tail): lr (float64) at byte address `lr`; `pairs` pairs, then one more number if tail ≠ 0
const [P, G, PAIRS, LR, TAIL] = [0, 1, 2, 3, 4];
const [K] = [5];
const [LRV] = [6];

function sgd(name: string, esize: 4 | 8): FuncDef {
  // [p0 p1] − η·[g0 g1], as float64
  const pair = esize === 4
    ? [
      ...op.get(P),
      ...op.get(P), ...op.load64Zero(0), ...op.f64x2PromoteLow,
      ...op.get(G), ...op.load64Zero(0), ...op.f64x2PromoteLow, ...op.get(LRV), ...op.f64x2Mul,
      ...op.f64x2Sub, ...op.f32x4DemoteZero, ...op.store64Lane0(0),
    ]
    : [
      ...op.get(P),
      ...op.get(P), ...op.v128Load(0),
      ...op.get(G), ...op.v128Load(0), ...op.get(LRV), ...op.f64x2Mul,
      ...op.f64x2Sub, ...op.v128Store(0),
    ];
  const load = (x: number): number[] => (esize === 4 ? [...op.get(x), ...op.f32Load(0), ...op.f64PromoteF32] : [...op.get(x), ...op.f64Load(0)]);
  const one = [
    ...op.get(P), ...load(P), ...load(G), ...op.get(LR), ...op.f64Load(0), ...op.f64Mul, ...op.f64Sub,
    ...(esize === 4 ? [...op.f32DemoteF64, ...op.f32Store(0)] : op.f64Store(0)),
  ];
  return {
    name,
    params: 5,
    locals: [[1, I32], [1, V128]],
    body: [
      ...op.get(LR), ...op.load64Splat(0), ...op.set(LRV),
      ...countDown(K, op.get(PAIRS), [...pair, ...bump(P, ["const", 2 * esize]), ...bump(G, ["const", 2 * esize])]),
      ...op.get(TAIL), ...op.if, ...one, ...op.end,
    ],
  };
}

/** sgd32 and sgd64. */
export function updateFunctions(): FuncDef[] {
  return [sgd("sgd32", 4), sgd("sgd64", 8)];
}
