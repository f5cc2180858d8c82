
import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** sign(x) ∈ {−1, 0, 1}; piecewise constant, so no gradient flows. */
export const sign = defineOp<null, 1>({
  name: "sign",
  arity: 1,
  elementwise: true,
  notation: () => call("sign", "\\operatorname{sign}"),
  call: { name: "sign", attrs: () => null },
  nondiff: true,
  shape(inputs) {
    return inputs[0].shape;
  },
  forward([x], _a, _s, be) {
    const out = be.alloc(x.dtype, x.data.length);
    be.kernels.unary("sign", x.data, out);
    return out;
  },
  backward: () => [null],
  samples: [],
});
