// The SIMD SGD update against the JavaScript loop: the same bits for both dtypes (float32 numbers
// are updated in float64 and rounded once by both), odd lengths included.
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
