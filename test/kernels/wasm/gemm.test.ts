// The WebAssembly GEMM against the JavaScript one, on every layout: transposed operands are read
// through strides, so a product with a transposed operand must equal, bit for bit, the product with
// that transpose copied first; and both kernels must agree with each other. Run on the kernels in use
// (float32 multiply-adds fused where relaxed SIMD is, relaxed.ts) and on the SIMD128-only module.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernels, type Kernels, simdFma, simdKernels } from "../../../src/kernels/index.js";
import { createWasmGemm } from "../../../src/kernels/wasm/gemm.js";
import { detectRelaxedMadd } from "../../../src/kernels/wasm/relaxed.js";
import { createRuntime } from "../../../src/kernels/wasm/runtime.js";
import { createThreads } from "../../../src/kernels/wasm/threads.js";
import { Random } from "../../../src/index.js";

type Gemm = Pick<Kernels, "gemm">;
const inUse: Gemm = simdKernels ?? jsKernels;
const rt128 = createRuntime({ fma: false });
const simd128: Gemm = rt128 === null ? jsKernels : { gemm: createWasmGemm(rt128, createThreads(rt128)).gemm };
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

describe.each([
  // Row [1, x, 0] · column [c, x, 0]: c + x² is exactly `fused` (x² has one bit past the dtype's
  // precision); rounding x² to the dtype first (round half to even, or down) loses it and gives 0.
  ["float32", Float32Array, 1 + 2 ** -12, -(1 + 2 ** -11), 2 ** -24],
  ["float64", Float64Array, 1 + 2 ** -27, -(1 + 2 ** -26), 2 ** -54],
] as const)("relaxed SIMD's fused multiply-add, %s", (_name, T, x, c, fused) => {
  const [M, N, K] = [16, 16, 3];
  const A = new T(M * K), B = new T(K * N);
  for (let i = 0; i < M; i++) A.set([1, x, 0], i * K);
  B.fill(c, 0, N);
  B.fill(x, N, 2 * N);
  const run = (kern: Gemm): number[] => {
    const C = new T(M * N);
    kern.gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, true);
    return Array.from(new Set(C));
  };
  it("is used exactly when the start-up probe finds it fused", () => {
    expect(simdFma).toBe(simdKernels !== null && detectRelaxedMadd() === "fused");
  });
  it("rounds once in the kernels in use when fused, twice in the SIMD128 module", () => {
    expect(run(inUse)).toEqual([simdFma ? fused : simdKernels === null ? run(jsKernels)[0] : 0]);
    if (rt128 !== null) expect(run(simd128)).toEqual([0]);
  });
  it("gives the exact sum in the JavaScript gemm for float32 (float64 accumulation), 0 for float64 (no fusing)", () => {
    expect(run(jsKernels)).toEqual([T === Float32Array ? fused : 0]);
  });
});

function transpose(x: readonly number[], rows: number, cols: number): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j] as number;
  return out;
}

/** C0 + op(A)·op(B) through `gemm`, with A (M×K) and B (K×N) stored transposed where asked, at an offset. */
function product(kern: Gemm, T: Ctor, M: number, N: number, K: number, ta: boolean, tb: boolean, seed: number) {
  const r = new Random(seed);
  const normals = (n: number): number[] => Array.from({ length: n }, () => r.normal());
  const A = normals(M * K), B = normals(K * N), C0 = normals(M * N + 3);
  const off = 3; // operands and output start past an offset
  const As = new T(off + M * K), Bs = new T(off + K * N), C = new T(C0);
  As.set(ta ? transpose(A, M, K) : A, off);
  Bs.set(tb ? transpose(B, K, N) : B, off);
  kern.gemm(M, N, K, As, off, ta ? 1 : K, ta ? M : 1, Bs, off, tb ? 1 : N, tb ? K : 1, C, 3);
  return C;
}

// float32 A·Bᵀ with K a multiple of 4 up to 1024 (above the JavaScript gemm's sizes) takes the dot path,
// which reads both operands along the depth and sums in its own order (dot.test.ts holds it to its hand
// formula): it equals the JavaScript gemm to rounding, not the packed GEMM of the copied transpose bit for bit.
// (Both operands contiguous along the depth: A's row stride along k is M when read transposed, B's is N
// when not, so a one-row A or a one-column B counts either way.)
const dotPath = (T: Ctor, M: number, N: number, K: number, ta: boolean, tb: boolean): boolean =>
  T === Float32Array && (ta ? M : 1) === 1 && (tb ? 1 : N) === 1 && K % 4 === 0 && K <= 1024 && M * N * K > 512;

describe.each([
  ["float64", Float64Array, "in use", inUse], ["float32", Float32Array, "in use", inUse],
  ["float64", Float64Array, "SIMD128", simd128], ["float32", Float32Array, "SIMD128", simd128],
] as const)("wasm gemm, %s, %s", (_name, T, _kernels, wasm) => {
  const eps = T === Float64Array ? 1e-12 : 2e-5;
  it("equals itself on transposed layouts bit for bit, and the JavaScript gemm to rounding", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.boolean(),
      (M, N, K, ta, tb) => {
        const seed = M * 7919 + N * 104729 + K;
        const plain = product(wasm, T, M, N, K, false, false, seed);
        const got = product(wasm, T, M, N, K, ta, tb, seed);
        if (!dotPath(T, M, N, K, ta, tb) && !dotPath(T, M, N, K, false, false)) expect(Array.from(got)).toEqual(Array.from(plain));
        const ref = product(jsKernels, T, M, N, K, false, false, seed);
        ref.forEach((v, i) => expect(Math.abs((got[i] as number) - v)).toBeLessThanOrEqual(eps * (K + Math.abs(v))));
      },
    ), { numRuns: 80 });
  });
  it("overwrites C when asked, on both kernels, the same as adding into zeros", () => {
    for (const kern of [wasm, jsKernels]) {
      for (const [M, N, K] of [[3, 5, 7], [33, 17, 300], [64, 64, 64]] as const) {
        const r = new Random(M + N + K);
        const A = new T(Array.from({ length: M * K }, () => r.normal())), B = new T(Array.from({ length: K * N }, () => r.normal()));
        const zero = new T(M * N), junk = new T(Array.from({ length: M * N }, () => r.normal()));
        kern.gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, zero, 0);
        kern.gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, junk, 0, true);
        expect(Array.from(junk)).toEqual(Array.from(zero));
      }
    }
  });
  it("writes C back as the hand formula per element: C = c + a·b rounded to the dtype (K = 1; 29 columns: four at a time and a tail)", () => {
    const [M, N] = [23, 29];
    const r = new Random(11);
    const A = new T(Array.from({ length: M }, () => r.normal())), B = new T(Array.from({ length: N }, () => r.normal()));
    const c0 = Array.from({ length: M * N }, () => r.normal());
    const round = T === Float32Array ? Math.fround : (x: number): number => x;
    for (const overwrite of [false, true]) {
      const C = new T(c0);
      wasm.gemm(M, N, 1, A, 0, 1, 1, B, 0, N, 1, C, 0, overwrite);
      const want = c0.map((c, k) => {
        const ab = round((A[Math.floor(k / N)] as number) * (B[k % N] as number));
        return overwrite ? ab : round(round(c) + ab);
      });
      expect(Array.from(C)).toEqual(want);
    }
  });
  it("covers several depth and column blocks (K > 256, N > 512)", () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const plain = product(wasm, T, 9, 530, 300, false, false, 5);
      const got = product(wasm, T, 9, 530, 300, ta, tb, 5);
      if (!dotPath(T, 9, 530, 300, ta, tb)) expect(Array.from(got)).toEqual(Array.from(plain));
      const ref = product(jsKernels, T, 9, 530, 300, false, false, 5);
      ref.forEach((v, i) => expect(Math.abs((got[i] as number) - v)).toBeLessThanOrEqual(eps * (300 + Math.abs(v))));
    }
  });
});

// Integer operands (|a|, |b| ≤ 3, |c| ≤ 50) make every partial sum exact in float32, so the hand
// formula C = c + Σ a·b in float64 is the answer bit for bit whatever the blocking: this checks where
// each path writes (the direct mode of driver-kernel.ts, one depth block of all of K up to KC_ONE, the tile).
describe.each([["in use", inUse], ["SIMD128", simd128]] as const)("wasm gemm, float32 blocking paths, %s", (_k, wasm) => {
  const shapes = [
    [8, 16, 64], [12, 24, 256], [256, 56, 64], // one depth block over whole strips and panels: C written directly
    [64, 256, 784], [128, 8, 1024], // all of K in one block (≤ KC_ONE, ≤ MC rows), still direct
    [60, 10, 784], [7, 13, 300], // one block, partial strips or panels: through the float64 tile
    [132, 8, 300], [4, 8, 1025], // more rows than one row block, or K past KC_ONE: blocks of KC
  ] as const;
  it.each(shapes)("M = %i, N = %i, K = %i: C = c + A·B and C = A·B exactly, in all four layouts", (M, N, K) => {
    const r = new Random(M * 31 + N * 7 + K);
    const int = (n: number, lim: number): number[] => Array.from({ length: n }, () => Math.floor(r.uniform() * (2 * lim + 1)) - lim);
    const A = int(M * K, 3), B = int(K * N, 3), c0 = int(M * N, 50);
    const ab = c0.map((_, e) => {
      const i = Math.floor(e / N), j = e % N;
      let s = 0;
      for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (B[k * N + j] as number);
      return s;
    });
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const As = new Float32Array(ta ? transpose(A, M, K) : A), Bs = new Float32Array(tb ? transpose(B, K, N) : B);
      for (const overwrite of [false, true]) {
        const C = new Float32Array(c0);
        wasm.gemm(M, N, K, As, 0, ta ? 1 : K, ta ? M : 1, Bs, 0, tb ? 1 : N, tb ? K : 1, C, 0, overwrite);
        expect(Array.from(C)).toEqual(ab.map((s, e) => (overwrite ? s : s + (c0[e] as number))));
      }
    }
  });
});
