import { ShapeError } from "../tensor/errors.js";
import { broadcastStrides, fmt, sizeOf } from "../tensor/shape.js";

import { same } from "./notation.js";
import { defineOp } from "./types.js";

/** Broadcasts to a larger shape (copying, since storage is always contiguous). */
export const expand = defineOp<{ readonly shape: readonly number[] }, 1>({
  name: "expand",
  arity: 1,
  notation: () => same,
  shape(inputs, { shape }) {
    const x = inputs[0].shape;
    const off = shape.length - x.length;
    // NOTE: an index loop: Array.prototype.every on a (frozen) shape is a slow builtin path
    let ok = off >= 0;
    for (let i = 0; ok && i < x.length; i++) ok = x[i] === 1 || x[i] === shape[i + off];
    if (!ok) throw new ShapeError(`cannot expand ${fmt(x)} to ${fmt(shape)}.`, { op: "expand", shapes: [x, shape], hint: "Only size-1 or missing leading axes can grow." });
    // NOTE: copied by index: spreading a frozen array (a tensor's shape, as sum's backward passes) takes V8's slow iterator path
    const out = new Array<number>(shape.length);
    for (let i = 0; i < shape.length; i++) out[i] = shape[i] as number;
    return out;
  },
  forward([x], { shape }, _s, be) {
    const out = be.alloc(x.dtype, sizeOf(shape));
    // NOTE: one number everywhere (a 0-d gradient broadcast back over a sum) is a fill: no strides
    if (x.data.length === 1) {
      be.kernels.fill(out, x.data[0] as number);
      return out;
    }
    be.kernels.gather(x.data, 0, broadcastStrides(x.shape, shape), shape, out);
    return out;
  },
  // ∂/∂x: sum gradOut over the broadcast axes
  backward: (g, { inputs: [x] }, F) => [F.sumTo(g, x.shape)],
  samples: [
    { shapes: [[3]], attrs: { shape: [2, 3] } },
    { shapes: [[2, 1]], attrs: { shape: [3, 2, 4] } },
  ],
});
