// Reductions over one axis viewed as [outer, n, inner]; several axes reduce one after another.
import type { Storage } from "../tensor/dtype.js";

export type ReduceKernel = "sum" | "max" | "min";

/** out[o, i] = reduce_j x[o, j, i]. */
export function reduceAxis(op: ReduceKernel, x: Storage, outer: number, n: number, inner: number, out: Storage): void {
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const xb = o * n * inner;
    if (op === "sum") {
      for (let i = 0; i < inner; i++) out[ob + i] = 0;
      for (let j = 0; j < n; j++) {
        const r = xb + j * inner;
        for (let i = 0; i < inner; i++) out[ob + i] = (out[ob + i] as number) + (x[r + i] as number);
      }
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
