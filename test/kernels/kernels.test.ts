// Kernels against plain definitions: the blocked GEMM against a triple loop, erf against the C library.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernels, simdKernels } from "../../src/kernels/index.js";
import { erf } from "../../src/kernels/special.js";
import { Random } from "../../src/index.js";

function naive(M: number, N: number, K: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (B[k * N + j] as number);
    C[i * N + j] = s;
  }
  return C;
}

const impls = [["js", jsKernels], ["wasm-simd", simdKernels]] as const;

it("WebAssembly SIMD kernels are available on this Node", () => {
  expect(simdKernels).not.toBeNull();
});

describe.each(impls)("gemm (%s)", (_name, k) => {
  const kern = k ?? jsKernels;
  it("matches the triple loop for odd sizes, including beyond one cache block", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 300 }), (M, N, K) => {
      const r = new Random(M * 1000 + N * 10 + K);
      const A = Float64Array.from({ length: M * K }, () => r.normal());
      const B = Float64Array.from({ length: K * N }, () => r.normal());
      const C = new Float64Array(M * N);
      kern.gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0);
      const ref = naive(M, N, K, A, B);
      ref.forEach((v, i) => expect(Math.abs((C[i] as number) - v)).toBeLessThan(1e-12 * K));
    }), { numRuns: 60 });
  });
  it("reads transposed operands through strides", () => {
    const M = 5, N = 7, K = 6;
    const r = new Random(3);
    const At = Float64Array.from({ length: K * M }, () => r.normal()); // stored K×M
    const B = Float64Array.from({ length: K * N }, () => r.normal());
    const A = new Float64Array(M * K);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) A[i * K + k] = At[k * M + i] as number;
    const C = new Float64Array(M * N);
    kern.gemm(M, N, K, At, 0, 1, M, B, 0, N, 1, C, 0);
    naive(M, N, K, A, B).forEach((v, i) => expect(C[i]).toBeCloseTo(v, 12));
  });
  it("works on float32 storage, small and above the SIMD threshold", () => {
    const A = Float32Array.from([1, 2, 3, 4]), B = Float32Array.from([5, 6, 7, 8]), C = new Float32Array(4);
    kern.gemm(2, 2, 2, A, 0, 2, 1, B, 0, 2, 1, C, 0);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
    // 9×9 identity times integers: exact in float32 whatever the summation order
    const n = 9, I = new Float32Array(n * n), X = Float32Array.from({ length: n * n }, (_, i) => i - 40), Y = new Float32Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    kern.gemm(n, n, n, I, 0, n, 1, X, 0, n, 1, Y, 0);
    expect(Array.from(Y)).toEqual(Array.from(X));
  });
});

describe("erf", () => {
  const ref = JSON.parse(readFileSync(new URL("../../fixtures/erf.json", import.meta.url), "utf8")) as { x: number[]; erf: number[] };
  it("is within 1e-15 relative of the C library's erf on 800+ points", () => {
    ref.x.forEach((x, i) => {
      const want = ref.erf[i] as number;
      const got = erf(x);
      expect(Math.abs(got - want), `erf(${x})`).toBeLessThanOrEqual(1e-15 * Math.abs(want) + 1e-300);
    });
  });
  it("is odd and saturates", () => {
    expect(erf(0)).toBe(0);
    expect(erf(-0.3)).toBe(-erf(0.3));
    expect(erf(40)).toBe(1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});

describe.each(impls)("row sums, reduceAxis with inner = 1 (%s)", (_name, k) => {
  const kern = k ?? jsKernels;
  // each row is one float64 sum in order, rounded once into the storage: the definition, written out
  const rowSum = (x: ArrayLike<number>, b: number, n: number): number => {
    let s = 0;
    for (let j = 0; j < n; j++) s += x[b + j] as number;
    return s;
  };
  it.each([Float32Array, Float64Array])("match the in-order float64 sum of each row, any number of rows (%o)", (T) => {
    for (const [outer, n] of [[1, 5], [3, 24], [4, 24], [7, 1], [9, 13], [12288, 24], [5, 0]] as const) {
      const r = new Random(outer * 31 + n);
      const vals = Array.from({ length: outer * n }, () => r.normal() * 10 ** Math.floor(r.uniform() * 12 - 6));
      const x = T === Float32Array ? Float32Array.from(vals) : Float64Array.from(vals);
      const out = T === Float32Array ? new Float32Array(outer).fill(99) : new Float64Array(outer).fill(99);
      kern.reduceAxis("sum", x, outer, n, 1, out);
      for (let o = 0; o < outer; o++) expect(Object.is(out[o], T === Float32Array ? Math.fround(rowSum(x, o * n, n)) : rowSum(x, o * n, n))).toBe(true);
    }
  });
  it("keep the edges: an empty row sums to 0, a row of −0s to +0 (the sum starts at +0, as the loop always did), ±∞ and NaN propagate", () => {
    const x = Float64Array.from([-0, -0, 1, Infinity, -Infinity, 2, NaN, 1, 3, -0, 0, 5]); // rows of 2: [−0, −0] [1, ∞] [−∞, 2] [NaN, 1] [3, −0] [0, 5]
    const out = new Float64Array(6);
    kern.reduceAxis("sum", x, 6, 2, 1, out);
    expect(Object.is(out[0], 0)).toBe(true); // 0 + (−0) + (−0) = +0: the sum starts at +0
    expect(out[1]).toBe(Infinity);
    expect(out[2]).toBe(-Infinity);
    expect(Number.isNaN(out[3])).toBe(true);
    expect(Array.from(out.subarray(4))).toEqual([3, 5]);
    const empty = new Float64Array(3).fill(7);
    kern.reduceAxis("sum", new Float64Array(0), 3, 0, 1, empty);
    expect(Array.from(empty)).toEqual([0, 0, 0]);
  });
});

// a ∘ b with b one number per row ([…, C] ∘ […, 1]), and a row's extremum: against the per-element
// definition (a[i] ∘ b[⌊i / C⌋] rounded to the dtype; the first NaN, else the largest / smallest),
// special values included
describe.each(impls)("row-wise broadcasts and extrema (%s)", (_name, k) => {
  const kern = k ?? jsKernels;
  const specials = [0, -0, NaN, Infinity, -Infinity, 1e-310, -2.5];
  it.each([[Float64Array], [Float32Array]] as const)("a [2, 3, 5] ∘ b [2, 3, 1] for + − · ÷, and max, min over the last axis (%o)", (T) => {
    const r = new Random(4);
    const [rows, C] = [6, 5];
    const a = new T(Array.from({ length: rows * C }, (_, i) => (i < specials.length ? specials[i] as number : r.normal())));
    const b = new T([0, -0, NaN, Infinity, 1.5, -3]);
    const round = T === Float32Array ? Math.fround : (v: number): number => v;
    const f = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y } as const;
    for (const op of ["add", "sub", "mul", "div"] as const) {
      const out = new T(rows * C);
      kern.binary(op, a, [2, 3, 5], b, [2, 3, 1], out, [2, 3, 5]);
      expect(Array.from(out), op).toEqual(Array.from(a, (v, i) => round(f[op](v, b[Math.floor(i / C)] as number))));
    }
    for (const op of ["max", "min"] as const) {
      const out = new T(rows);
      kern.reduceAxis(op, a, rows, C, 1, out);
      const want = Array.from({ length: rows }, (_, row) => {
        const xs = Array.from(a.subarray(row * C, row * C + C));
        return xs.some(Number.isNaN) ? NaN : op === "max" ? Math.max(...xs) : Math.min(...xs);
      });
      expect(Array.from(out), op).toEqual(want);
    }
  });
});
