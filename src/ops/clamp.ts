import { ValueError } from "../tensor/errors.js";

import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** Clamps into [min, max]. */
export const clamp = defineOp<{ readonly min: number; readonly max: number }, 1>({
  name: "clamp",
  arity: 1,
  elementwise: true,
  notation: ({ min, max }) => call("clamp", "\\operatorname{clamp}", "clamp", [min, max]),
  shape(inputs, { min, max }) {
    if (Number.isNaN(min) || Number.isNaN(max) || min > max) throw new ValueError(`min must be ≤ max, got min=${min}, max=${max}.`, { op: "clamp" });
    return inputs[0].shape;
  },
  forward([x], { min, max }, _s, be) {
    const out = be.alloc(x.dtype, x.data.length);
    be.kernels.unary("clamp", x.data, out, [min, max]);
    return out;
  },
  // ∂clamp/∂x = [min ≤ x ≤ max] (bounds inclusive, as PyTorch)
  backward(g, { inputs: [x], attrs: { min, max } }, F) {
    if (x === undefined) return [null];
    return [F.where(F.mul(F.ge(x, min), F.le(x, max)), g, 0)];
  },
  samples: [
    { shapes: [[6]], attrs: { min: -0.5, max: 0.7 } },
    { shapes: [[2, 3]], attrs: { min: -Infinity, max: 0.3 } },
  ],
});
