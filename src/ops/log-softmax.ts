// NOTE: a primitive for numerical stability: log_softmax(x) = x − logsumexp(x) computed with the
// max shift, so |logits| of 1e4 give finite results.
import { normalizeAxis } from "../tensor/shape.js";

import { shiftedLogSumExp } from "./reduce-shape.js";
import { call } from "./notation.js";
import { defineOp } from "./types.js";

export const logSoftmax = defineOp<{ readonly axis: number }, 1>({
  name: "logSoftmax",
  arity: 1,
  notation: () => call("logsoftmax"),
  shape(inputs, { axis }) {
    const x = inputs[0];
    normalizeAxis("logSoftmax", axis, x.shape.length);
    return x.shape;
  },
  forward([x], { axis }, _s, be) {
    const ax = x.shape.length === 0 ? 0 : normalizeAxis("logSoftmax", axis, x.shape.length);
    const shape = x.shape.length === 0 ? [1] : x.shape;
    const { shifted, logSum, max, kept } = shiftedLogSumExp(be, x.data, shape, [ax]);
    be.kernels.binary("sub", shifted, shape, logSum, kept, shifted, shape); // (x − m) − log Σ exp(x − m)
    be.free(logSum); // temporaries no one else sees
    be.free(max);
    return shifted;
  },
  // ∂/∂x: g − softmax(x) · Σ g  (softmax = exp(output); for a 0-d x, g − 1·g as in PyTorch)
  backward(g, { inputs: [x], output, attrs: { axis } }, F) {
    const ax = normalizeAxis("logSoftmax", axis, x.shape.length);
    return [F.sub(g, F.mul(F.exp(output), F.sum(g, [ax], true)))];
  },
  samples: [
    { shapes: [[5]], attrs: { axis: 0 } },
    { shapes: [[2, 4]], attrs: { axis: 1 } },
    { shapes: [[3, 2]], attrs: { axis: 0 } },
    { shapes: [[2, 3, 2]], attrs: { axis: -2 } },
  ],
});
