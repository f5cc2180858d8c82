// The SIMD SGD update against the JavaScript loop: the same bits for both dtypes (float32 numbers: the
// loop rounds p − fl32(η)·g to float64 then float32, the SIMD kernel once, with a fused multiply-add
// where the runtime has one — these differ only when the float64 difference lies exactly halfway between
// two float32, which random numbers do not hit), odd lengths included.
import { describe, expect, it } from "vitest";
import { jsKernels, simdKernels } from "../../../src/kernels/index.js";
import { Random } from "../../../src/index.js";

describe.each([["float64", Float64Array], ["float32", Float32Array]] as const)("sgd, %s", (_name, T) => {
  it.each([4096, 5001, 100_003])("matches the JavaScript loop bit for bit on %i numbers", (n) => {
    const r = new Random(n);
    const p0 = new T(Array.from({ length: n }, () => r.normal())), g = new T(Array.from({ length: n }, () => r.normal()));
    const a = p0.slice(), b = p0.slice();
    const o = { lr: 0.0137, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false };
    jsKernels.sgd(a, g, o, null, false);
    (simdKernels ?? jsKernels).sgd(b, g, o, null, false);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a[0]).not.toBe(p0[0]);
  });
});

// The hand formula of plain SGD: float64 p − η·g; float32 as PyTorch's p.add_(g, alpha = −η) computes it,
// p + g·(−fl32(η)) rounded once (a fused multiply-add; the product of two float32 is exact in float64).
describe("sgd, the hand formula per number, both kernels", () => {
  const specials = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, -3e38, 3e38, 2 ** -126, 0.1];
  const values = (n: number, r: Random): number[] => Array.from({ length: n }, (_, i) => (i < specials.length * specials.length ? specials[Math.floor(i / specials.length) % specials.length] as number : r.normal()));
  const grads = (n: number, r: Random): number[] => Array.from({ length: n }, (_, i) => (i < specials.length * specials.length ? specials[i % specials.length] as number : r.normal()));
  it.each([4096, 4097, 4098, 4099, 10_001])("float32 on %i numbers (every pairing of 0, −0, ±∞, NaN, subnormal, huge among them)", (n) => {
    const r = new Random(n), lr = 0.0137;
    const p0 = new Float32Array(values(n, r)), g = new Float32Array(grads(n, r));
    const eta = Math.fround(lr);
    const want = Array.from(p0, (p, i) => Math.fround(p + (g[i] as number) * -eta));
    for (const k of [jsKernels, simdKernels ?? jsKernels]) {
      const p = p0.slice();
      k.sgd(p, g, { lr, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false }, null, false);
      expect(Array.from(p)).toEqual(want);
    }
    // the formula decides: rounding the product first, or η in float64, gives other numbers
    expect(Array.from(p0, (p, i) => Math.fround(p - Math.fround(eta * (g[i] as number))))).not.toEqual(want);
    expect(Array.from(p0, (p, i) => Math.fround(p - lr * (g[i] as number)))).not.toEqual(want);
  });
  it("float64 on 4097 numbers", () => {
    const r = new Random(9), lr = 0.0137, n = 4097;
    const p0 = new Float64Array(values(n, r)), g = new Float64Array(grads(n, r));
    const want = Array.from(p0, (p, i) => p - lr * (g[i] as number));
    for (const k of [jsKernels, simdKernels ?? jsKernels]) {
      const p = p0.slice();
      k.sgd(p, g, { lr, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false }, null, false);
      expect(Array.from(p)).toEqual(want);
    }
  });
});
