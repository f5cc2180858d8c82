import { normalizeAxis, reducedShape, sizeOf } from "../tensor/shape.js";

import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** Index of the largest entry along an axis (first on ties); flattened when axis is omitted. */
export const argmax = defineOp<{ readonly axis?: number | undefined; readonly keepdims?: boolean | undefined }, 1>({
  name: "argmax",
  arity: 1,
  notation: () => call("argmax"),
  nondiff: true,
  shape(inputs, { axis, keepdims }) {
    const x = inputs[0];
    if (axis === undefined) return keepdims === true ? x.shape.map(() => 1) : [];
    return reducedShape(x.shape, [normalizeAxis("argmax", axis, x.shape.length)], keepdims ?? false);
  },
  forward([x], { axis }, outShape, be) {
    const out = be.alloc(x.dtype, sizeOf(outShape));
    if (axis === undefined) {
      be.kernels.argmaxAxis(x.data, 1, x.data.length, 1, out);
      return out;
    }
    const ax = normalizeAxis("argmax", axis, x.shape.length);
    be.kernels.argmaxAxis(x.data, sizeOf(x.shape.slice(0, ax)), x.shape[ax] ?? 1, sizeOf(x.shape.slice(ax + 1)), out);
    return out;
  },
  backward: () => [null],
  samples: [],
});
