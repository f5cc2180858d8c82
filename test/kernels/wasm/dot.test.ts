// The float32 A·Bᵀ path of the WebAssembly GEMM (dot-kernel.ts, dot.ts): both operands' rows read
// in place along the depth, four depths per vector lane, the lanes summed as (l0 + l2) + (l1 + l3).
// Held to a hand formula of that order, bit for bit, per module: in the SIMD128 one each product is
// rounded to float32 and then added (fround(s + fround(a·b))); in the fused one each multiply-add
// rounds once (fround(s + a·b): a·b of two float32 is exact in float64). Also: integer operands give
// the exact sum (every tile shape: 2×4, the odd last row, the last N mod 4 columns), offsets and
// resident operands, adding into C and overwriting it, and the same bits on 1 and 2 threads.
import { describe, expect, it } from "vitest";
import { jsKernels, type Kernels, residentStorage, simdFma, simdKernels } from "../../../src/kernels/index.js";
import { createWasmGemm } from "../../../src/kernels/wasm/gemm.js";
import { createRuntime } from "../../../src/kernels/wasm/runtime.js";
import { createThreads } from "../../../src/kernels/wasm/threads.js";
import { Random } from "../../../src/index.js";

type Gemm = Kernels["gemm"];
const rt128 = createRuntime({ fma: false });
const modules: [string, Gemm | null, boolean][] = [
  ["in use", simdKernels?.gemm ?? null, simdFma],
  ["SIMD128", rt128 === null ? null : createWasmGemm(rt128, createThreads(rt128)).gemm, false],
];

/** C = c + A·Bᵀ in the dot kernel's order: lane l sums the depths k ≡ l (mod 4) in order, then (l0 + l2) + (l1 + l3). */
function handFormula(A: Float32Array, B: Float32Array, c: Float32Array | null, M: number, N: number, K: number, fused: boolean): number[] {
  const f = Math.fround;
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const lane = [0, 0, 0, 0];
      for (let k = 0; k < K; k++) {
        const a = A[i * K + k] as number, b = B[j * K + k] as number, s = lane[k % 4] as number;
        lane[k % 4] = fused ? f(s + a * b) : f(s + f(a * b));
      }
      const [l0, l1, l2, l3] = lane as [number, number, number, number];
      const sum = f(f(l0 + l2) + f(l1 + l3));
      out.push(c === null ? sum : f((c[i * N + j] as number) + sum));
    }
  }
  return out;
}

const randomF32 = (r: Random, n: number): Float32Array => new Float32Array(Array.from({ length: n }, () => r.normal()));

describe.each(modules)("float32 A·Bᵀ (dot path), %s", (_name, gemm, fused) => {
  it.each([
    // (products above the 512 multiply-adds below which the JavaScript gemm runs)
    [64, 256, 784], [2, 4, 68], [5, 7, 16], [1, 3, 200], [33, 10, 256], [8, 16, 1024],
  ])("M = %i, N = %i, K = %i: the hand formula bit for bit, added into C and overwriting it", (M, N, K) => {
    expect(gemm).not.toBeNull(); // WebAssembly SIMD runs on every Node this supports
    const r = new Random(M * 131 + N * 17 + K);
    const A = randomF32(r, M * K), B = randomF32(r, N * K), c0 = randomF32(r, M * N);
    for (const overwrite of [false, true]) {
      const C = c0.slice();
      gemm?.(M, N, K, A, 0, K, 1, B, 0, 1, K, C, 0, overwrite);
      expect(Array.from(C)).toEqual(handFormula(A, B, overwrite ? null : c0, M, N, K, fused));
    }
  });

  it("gives the exact sum for integer operands, at offsets, on resident operands and result", () => {
    const [M, N, K] = [9, 14, 20];
    const r = new Random(3);
    const int = (n: number, lim: number): number[] => Array.from({ length: n }, () => Math.floor(r.uniform() * (2 * lim + 1)) - lim);
    const A = int(M * K, 3), B = int(N * K, 3), c0 = int(M * N, 50);
    const want = c0.map((c, e) => {
      const i = Math.floor(e / N), j = e % N;
      let s = c;
      for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (B[j * K + k] as number);
      return s;
    });
    const place = (x: number[], off: number, resident: boolean): Float32Array => {
      const r32 = resident ? residentStorage("float32", off + x.length) : null;
      const s = r32 instanceof Float32Array ? r32 : new Float32Array(off + x.length);
      s.set(x, off);
      return s;
    };
    for (const resident of [false, true]) {
      const As = place(A, 3, resident), Bs = place(B, 5, resident), C = place(c0, 7, resident);
      gemm?.(M, N, K, As, 3, K, 1, Bs, 5, 1, K, C, 7);
      expect(Array.from(C.subarray(7))).toEqual(want);
    }
  });

  it("leaves K not a multiple of 4 and K past 1024 to the packed GEMM (the JavaScript gemm to rounding)", () => {
    for (const [M, N, K] of [[6, 9, 30], [4, 8, 1028]] as const) {
      const r = new Random(K);
      const A = randomF32(r, M * K), B = randomF32(r, N * K);
      const C = new Float32Array(M * N), ref = new Float32Array(M * N);
      gemm?.(M, N, K, A, 0, K, 1, B, 0, 1, K, C, 0, true);
      jsKernels.gemm(M, N, K, A, 0, K, 1, B, 0, 1, K, ref, 0, true);
      ref.forEach((v, i) => expect(Math.abs((C[i] as number) - v)).toBeLessThanOrEqual(2e-5 * (K + Math.abs(v))));
    }
  });
});
