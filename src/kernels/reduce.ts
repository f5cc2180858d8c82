// Reductions over one axis viewed as [outer, n, inner]; several axes reduce one after another.
import type { Storage } from "../tensor/dtype.js";

export type ReduceKernel = "sum" | "max" | "min";

/** out[o, i] = reduce_j x[o, j, i]. */
export function reduceAxis(op: ReduceKernel, x: Storage, outer: number, n: number, inner: number, out: Storage): void {
  if (op === "sum" && inner === 1) return rowSums(x, outer, n, out);
  const acc = op === "sum" && inner !== 1 ? new Float64Array(inner) : null;
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const xb = o * n * inner;
    if (op === "sum") {
      sumRows(x, xb, n, inner, out, ob, acc);
    } else if (inner === 1) {
      // a row's extremum (a softmax's shift): the running one in a local
      let m = x[xb] as number;
      for (let j = 1; j < n; j++) {
        const v = x[xb + j] as number;
        if (op === "max" ? v > m || Number.isNaN(v) : v < m || Number.isNaN(v)) m = v;
      }
      out[ob] = m;
    } else {
      const isMax = op === "max";
      for (let i = 0; i < inner; i++) out[ob + i] = x[xb + i] as number;
      for (let j = 1; j < n; j++) {
        const r = xb + j * inner;
        for (let i = 0; i < inner; i++) {
          const v = x[r + i] as number, cur = out[ob + i] as number;
          // NaN propagates like PyTorch
          if (isMax ? v > cur || Number.isNaN(v) : v < cur || Number.isNaN(v)) out[ob + i] = v;
        }
      }
    }
  }
}

// NOTE: partial sums live in float64 (a local, or `acc` for strided rows) whatever the storage
// dtype, and are rounded once on the way out: float32 partial sums stall at 2^24 and lose up to
// ~n·2⁻²⁴ relative over n terms. For float64 storage the order, and so every bit, is unchanged.
/** out[ob + i] = Σ_j x[xb + j·inner + i] for i < inner (`acc`: inner float64 scratch, or null when inner = 1). */
function sumRows(x: Storage, xb: number, n: number, inner: number, out: Storage, ob: number, acc: Float64Array | null): void {
  if (acc === null) {
    let s = 0;
    for (let j = 0; j < n; j++) s += x[xb + j] as number;
    out[ob] = s;
    return;
  }
  acc.fill(0);
  for (let j = 0; j < n; j++) {
    const r = xb + j * inner;
    for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) + (x[r + i] as number);
  }
  for (let i = 0; i < inner; i++) out[ob + i] = acc[i] as number;
}

// NOTE: four rows at a time: each row is still one float64 sum in order (the same bits), but four
// independent chains keep the adder busy instead of waiting on one (a conv bias gradient's rows of
// 24: 3-4× faster).
/** out[o] = Σ_j x[o·n + j] for o < outer, each a float64 sum rounded once. */
function rowSums(x: Storage, outer: number, n: number, out: Storage): void {
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const b0 = o * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < n; j++) {
      s0 += x[b0 + j] as number;
      s1 += x[b1 + j] as number;
      s2 += x[b2 + j] as number;
      s3 += x[b3 + j] as number;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }
  for (; o < outer; o++) {
    let s = 0;
    for (let j = 0, b = o * n; j < n; j++) s += x[b + j] as number;
    out[o] = s;
  }
}

/** out[o, i] = argmax_j x[o, j, i] (first index on ties). */
export function argmaxAxis(x: Storage, outer: number, n: number, inner: number, out: Storage): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity, at = 0;
      for (let j = 0; j < n; j++) {
        const v = x[(o * n + j) * inner + i] as number;
        if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) { best = v; at = j; }
      }
      out[o * inner + i] = at;
    }
  }
}
