// Strided copies: one kernel serves permute, expand (stride 0), slice (offset + step) and pad (scatter).
import type { Storage } from "../tensor/dtype.js";
import { type Shape, sizeOf } from "../tensor/shape.js";

/** out[i…] (contiguous, `shape`) = src[srcOff + Σ i_d·srcStrides_d]. */
export function gather(src: Storage, srcOff: number, srcStrides: readonly number[], shape: Shape, out: Storage): void {
  // NOTE: long contiguous rows of the same dtype are block copies (TypedArray.set), not a loop
  const copies = (src instanceof Float64Array) === (out instanceof Float64Array) && srcStrides[srcStrides.length - 1] === 1 && (shape[shape.length - 1] ?? 0) >= LONG;
  walk(shape, srcStrides, srcOff, copies ? (s, o, n) => { out.set(src.subarray(s, s + n), o); } : (s, o, n, st) => {
    for (let i = 0; i < n; i++, s += st) out[o + i] = src[s] as number;
  });
}

// Rows at least this long are copied with TypedArray.set.
const LONG = 48;

/** dst[dstOff + Σ i_d·dstStrides_d] = src[i…] (contiguous, `shape`). */
export function scatter(src: Storage, shape: Shape, dst: Storage, dstOff: number, dstStrides: readonly number[]): void {
  walk(shape, dstStrides, dstOff, (d, o, n, st) => {
    for (let i = 0; i < n; i++, d += st) dst[d] = src[o + i] as number;
  });
}

// Visits each innermost row: fn(strided offset, contiguous offset, row length, row stride).
function walk(shape: Shape, strides: readonly number[], off: number, fn: (s: number, o: number, n: number, st: number) => void): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const nd = shape.length;
  if (nd === 0) return fn(off, 0, 1, 0);
  const row = shape[nd - 1] as number;
  const rst = strides[nd - 1] as number;
  const idx = new Array<number>(nd - 1).fill(0);
  let s = off;
  for (let o = 0; o < total; o += row) {
    fn(s, o, row, rst);
    for (let d = nd - 2; d >= 0; d--) {
      const v = (idx[d] as number) + 1;
      if (v < (shape[d] as number)) { idx[d] = v; s += strides[d] as number; break; }
      idx[d] = 0;
      s -= (strides[d] as number) * (v - 1);
    }
  }
}
