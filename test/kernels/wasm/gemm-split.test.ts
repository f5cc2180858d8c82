// The depth-split product (gemm-split.ts, a convolution's weight gradient): exact on integers
// (every partial sum is an integer below 2^24, so any grouping gives the integer sum, the
// definition written out), for depths that are not whole blocks or whole KC steps, rows and
// columns that are not whole strips and panels, both dtypes, adding and overwriting; the same bits
// on one and two threads on random numbers; blocks of whole KC steps that depend on K alone.
import { afterAll, describe, expect, it } from "vitest";
import { KC } from "../../../src/kernels/wasm/driver-kernel.js";
import { createSplitGemm, SPLIT_FROM, splitDepth, splits } from "../../../src/kernels/wasm/gemm-split.js";
import { createRuntime } from "../../../src/kernels/wasm/runtime.js";
import { createThreads } from "../../../src/kernels/wasm/threads.js";
import { Random } from "../../../src/index.js";

const rt = createRuntime();
const threads = rt === null ? null : createThreads(rt);
const split = rt === null || threads === null ? null : createSplitGemm(rt, threads);
afterAll(() => { threads?.setCount(1); });

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** C (+)= A·B with A [M × K] row-major and B stored transposed ([N × K], as a weight gradient reads its columns), through the split product. */
function product(T: Ctor, M: number, N: number, K: number, A: ArrayLike<number>, Bt: ArrayLike<number>, C0: ArrayLike<number>, overwrite: boolean): number[] {
  if (rt === null || split === null) throw new Error("no runtime");
  const es = T === Float64Array ? 8 : 4, bAt = rt.base;
  rt.ensure(bAt + N * K * es);
  (es === 8 ? rt.f64 : rt.f32).set(Bt, bAt / es);
  const a = T === Float64Array ? Float64Array.from(A) : Float32Array.from(A);
  const C = T === Float64Array ? Float64Array.from(C0) : Float32Array.from(C0);
  split(M, N, K, a, 0, K, 1, bAt, 1, K, C, 0, overwrite, Math.ceil((bAt + N * K * es) / 16) * 16);
  return Array.from(C);
}

describe.runIf(rt !== null)("the depth-split product", () => {
  it("splits long depths of small products only, and cuts K into blocks of whole KC steps, at least four, at most 32 blocks, from K alone", () => {
    expect(splits(8, 25, 36_864)).toBe(true);
    expect(splits(16, 200, 4096)).toBe(true);
    expect(splits(16, 200, SPLIT_FROM - 1)).toBe(false);
    expect(splits(256, 2304, 1 << 20)).toBe(false);
    for (const K of [SPLIT_FROM, 4096, 6400, 36_864, 147_456, 1_000_000]) {
      const d = splitDepth(K);
      expect(d % KC).toBe(0);
      expect(d).toBeGreaterThanOrEqual(4 * KC);
      expect(Math.ceil(K / d)).toBeLessThanOrEqual(32);
    }
  });

  it.each([Float32Array, Float64Array])("is exact on integers (%o), one and two threads", async (T) => {
    for (const n of [1, 2]) {
      threads?.setCount(n);
      await threads?.ready();
      // the last two: the CNN's first weight gradient's sizes, and a last strip of three rows over a long depth
      for (const [M, N, K] of [[5, 13, SPLIT_FROM], [8, 25, 9000], [16, 200, 4096], [3, 1, 5 * KC + 7], [8, 25, 36_864], [7, 3, 40_000]] as const) {
        const r = new Random(M * N + K);
        const int = (): number => Math.floor(r.uniform() * 5) - 2;
        const A = Array.from({ length: M * K }, int), Bt = Array.from({ length: N * K }, int), C0 = Array.from({ length: M * N }, int);
        const want = (add: boolean): number[] => Array.from({ length: M * N }, (_, e) => {
          const i = Math.floor(e / N), j = e % N;
          let s = add ? (C0[e] as number) : 0;
          for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (Bt[j * K + k] as number);
          return s;
        });
        expect(product(T, M, N, K, A, Bt, C0, true)).toEqual(want(false));
        expect(product(T, M, N, K, A, Bt, C0, false)).toEqual(want(true));
      }
    }
  });

  it("gives the same bits on one and two threads (random float32)", async () => {
    const r = new Random(7);
    const [M, N, K] = [16, 200, 4096 + 3];
    const A = Array.from({ length: M * K }, () => r.normal()), Bt = Array.from({ length: N * K }, () => r.normal()), C0 = Array.from({ length: M * N }, () => r.normal());
    threads?.setCount(1);
    const one = product(Float32Array, M, N, K, A, Bt, C0, false);
    threads?.setCount(2);
    await threads?.ready();
    for (let rep = 0; rep < 5; rep++) expect(product(Float32Array, M, N, K, A, Bt, C0, false)).toEqual(one);
    // and near the float64 product (float32 sums within a KC step)
    for (let e = 0; e < M * N; e += 97) {
      const i = Math.floor(e / N), j = e % N;
      let s = C0[e] as number;
      for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (Bt[j * K + k] as number);
      expect(Math.abs((one[e] as number) - s)).toBeLessThan(1e-4 * Math.sqrt(K));
    }
  });
});
