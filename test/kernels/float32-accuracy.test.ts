// float32 reductions and matmul against float64 references computed here from the same float32
// values (compensated sums in plain JavaScript), or against exact arithmetic. Before partial sums
// were kept in float64, ones(2e7).sum() stalled at 2^24 and these errors were 1e-6 to 1e-4.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crossEntropy, jsKernels, noGrad, ones, Random, setKernels, simdKernels, tensor, type Tensor } from "../../src/index.js";

/** Σ xs in float64 with Neumaier's compensation: exact to a few float64 ulps. */
function exactSum(xs: Iterable<number>): number {
  let s = 0, c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

const relErr = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

function float32Data(n: number, seed: number, draw: (r: Random) => number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => draw(r));
}

const gradOf = (t: Tensor): Tensor => {
  if (t.grad === null) throw new Error("no gradient");
  return t.grad;
};

it("sums and averages 2e7 float32 ones exactly", () => {
  noGrad(() => {
    const x = ones([2e7], { dtype: "float32" });
    expect(x.sum().item()).toBe(2e7);
    expect(x.mean().item()).toBe(1);
  });
});

describe.each([
  ["uniform [0, 1)", (r: Random) => r.uniform()],
  ["standard normal", (r: Random) => r.normal()],
])("1e7 float32 values, %s", (_name, draw) => {
  const xs = float32Data(1e7, 8, draw);
  const x = tensor(xs, { dtype: "float32" });

  it("sum and mean are within 1e-6 relative of float64", () => {
    const want = exactSum(xs);
    noGrad(() => {
      expect(relErr(x.sum().item(), want)).toBeLessThanOrEqual(1e-6);
      expect(relErr(x.mean().item(), want / xs.length)).toBeLessThanOrEqual(1e-6);
    });
  });

  it("column sums (a strided reduction) are within 1e-6 relative of float64", () => {
    const cols = 8, rows = xs.length / cols;
    const got = noGrad(() => x.reshape([rows, cols]).sum(0)).data;
    for (let j = 0; j < cols; j++) {
      const want = exactSum(Array.from({ length: rows }, (_, i) => xs[i * cols + j] as number));
      expect(relErr(got[j] as number, want)).toBeLessThanOrEqual(1e-6);
    }
  });

  it("logsumexp is within 1e-6 relative of float64", () => {
    const m = xs.reduce((a, v) => Math.max(a, v), -Infinity);
    const want = m + Math.log(exactSum(Array.from(xs, (v) => Math.exp(v - m))));
    expect(relErr(noGrad(() => x.logsumexp()).item(), want)).toBeLessThanOrEqual(1e-6);
  });
});

// NOTE: the error floor is float32 rounding of the log-probabilities (|x − m| ≤ 60 here): about
// 6e-6 relative per softmax entry, in PyTorch too. 1e5 classes is where float32 partial sums of
// the normaliser failed the bound (3e-5).
it("the cross-entropy of 1e7 float32 logits (10 × 1e6, spread over ±30) is within 1e-6 relative of float64", () => {
  const B = 10, C = 1_000_000;
  const logits = float32Data(B * C, 5, (r) => 60 * r.uniform() - 30);
  const target = Array.from({ length: B }, (_, b) => (b * 7919) % C);
  const got = noGrad(() => crossEntropy(tensor(logits, { dtype: "float32", shape: [B, C] }), tensor(target, { dtype: "float32" }))).item();
  // float64 reference: mean over rows of logsumexp(x_b) − x_b,target
  let want = 0;
  for (let b = 0; b < B; b++) {
    const row = logits.subarray(b * C, (b + 1) * C);
    let m = -Infinity;
    for (const v of row) m = Math.max(m, v);
    want += (m + Math.log(exactSum(Array.from(row, (v) => Math.exp(v - m)))) - (row[target[b] as number] as number)) / B;
  }
  expect(relErr(got, want)).toBeLessThanOrEqual(1e-6);
});

describe.each([[64, 1000], [4, 100_000]])("cross-entropy gradient, %i × %i logits spread over ±30", (B, C) => {
  it("is within 1e-5 relative of float64, element by element", () => {
    const logits = float32Data(B * C, B + C, (r) => 60 * r.uniform() - 30);
    const target = float32Data(B, 3, (r) => Math.floor(r.uniform() * C));
    const x = tensor(logits, { dtype: "float32", shape: [B, C] }).requireGrad();
    crossEntropy(x, tensor(target, { dtype: "float32" })).backward();
    const got = gradOf(x).data;
    for (let b = 0; b < B; b++) {
      const row = Array.from(logits.subarray(b * C, (b + 1) * C));
      const m = row.reduce((a, v) => Math.max(a, v), -Infinity);
      const z = exactSum(row.map((v) => Math.exp(v - m)));
      let worst = 0;
      // ∂(mean CE)/∂x_bc = (softmax(x_b)_c − [c = target_b]) / B
      row.forEach((v, c) => {
        const want = (Math.exp(v - m) / z - (c === target[b] ? 1 : 0)) / B;
        worst = Math.max(worst, relErr(got[b * C + c] as number, want));
      });
      expect(worst, `row ${b}`).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe.each([["js", jsKernels], ["wasm-simd", simdKernels ?? jsKernels]])("float32 matmul with K = 1e5 (%s)", (_name, k) => {
  it("is within 2e-7 of float64, relative to Σ|a·b| (PyTorch float32: ~8e-7)", () => {
    const M = 8, N = 8, K = 100_000;
    const a = float32Data(M * K, 11, (r) => r.uniform()), b = float32Data(K * N, 12, (r) => r.uniform());
    const prev = setKernels(k);
    let got: Float32Array | Float64Array;
    try {
      got = noGrad(() => tensor(a, { shape: [M, K] }).matmul(tensor(b, { shape: [K, N] }))).data;
    } finally {
      setKernels(prev);
    }
    expect(got).toBeInstanceOf(Float32Array);
    const terms = new Float64Array(K);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      for (let p = 0; p < K; p++) terms[p] = (a[i * K + p] as number) * (b[p * N + j] as number); // exact in float64
      const err = Math.abs((got[i * N + j] as number) - exactSum(terms)) / exactSum(terms.map(Math.abs));
      expect(err, `C[${i},${j}]`).toBeLessThanOrEqual(2e-7);
    }
  });
});

describe.each([["js", jsKernels], ["wasm-simd", simdKernels ?? jsKernels]])("float32 gemm kernel (%s)", (_name, k) => {
  it("adds A·B into C within float32 rounding for odd sizes, across depth blocks", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 700 }), (M, N, K) => {
      const seed = M * 100_000 + N * 1000 + K;
      const A = float32Data(M * K, seed, (r) => r.normal()), B = float32Data(K * N, seed + 1, (r) => r.normal());
      const C0 = float32Data(M * N, seed + 2, (r) => r.normal()), C = C0.slice();
      k.gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let want = C0[i * N + j] as number, scale = Math.abs(want);
        for (let p = 0; p < K; p++) {
          const t = (A[i * K + p] as number) * (B[p * N + j] as number);
          want += t;
          scale += Math.abs(t);
        }
        expect(Math.abs((C[i * N + j] as number) - want), `${M}×${K}·${K}×${N} at [${i},${j}]`).toBeLessThanOrEqual(1e-6 * scale);
      }
    }), { numRuns: 40 });
  });
});
