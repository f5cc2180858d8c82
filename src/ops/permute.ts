import { AxisError } from "../tensor/errors.js";
import { normalizeAxis, sizeOf, stridesOf } from "../tensor/shape.js";

import { call, type Notation } from "./notation.js";
import { defineOp } from "./types.js";

/** Reorders axes: output axis i is input axis axes[i]. */
export const permute = defineOp<{ readonly axes: readonly number[] }, 1>({
  name: "permute",
  arity: 1,
  notation: ({ axes }): Notation => (isLastTwoSwap(axes) ? { kind: "transpose" } : call("permute")),
  shape(inputs, { axes }) {
    const x = inputs[0];
    const nd = x.shape.length;
    const norm = axes.map((a) => normalizeAxis("permute", a, nd));
    if (norm.length !== nd || new Set(norm).size !== nd) {
      throw new AxisError(`axes must be a permutation of 0..${nd - 1}, got [${axes.join(",")}].`, { op: "permute" });
    }
    return norm.map((a) => x.shape[a] as number);
  },
  forward([x], { axes }, outShape, be) {
    const st = stridesOf(x.shape);
    const nd = x.shape.length;
    const src = axes.map((a) => st[a < 0 ? a + nd : a] as number);
    const out = be.alloc(x.dtype, sizeOf(outShape));
    be.kernels.gather(x.data, 0, src, outShape, out);
    return out;
  },
  // ∂/∂x: apply the inverse permutation to gradOut
  backward(g, { inputs: [x], attrs: { axes } }, F) {
    const nd = x.shape.length;
    const inv = new Array<number>(nd);
    axes.forEach((a, i) => { inv[a < 0 ? a + nd : a] = i; });
    return [F.permute(g, inv)];
  },
  samples: [
    { shapes: [[2, 3]], attrs: { axes: [1, 0] } },
    { shapes: [[2, 3, 4]], attrs: { axes: [2, 0, 1] } },
  ],
});

/** True when `axes` swaps the last two axes and keeps the rest: a matrix transpose. */
function isLastTwoSwap(axes: readonly number[]): boolean {
  const n = axes.length;
  const norm = axes.map((a) => (a < 0 ? a + n : a));
  return n >= 2 && norm.every((a, i) => (i === n - 2 ? a === n - 1 : i === n - 1 ? a === n - 2 : a === i));
}
