
import { call } from "./notation.js";
import { defineOp } from "./types.js";

/**
 * softplus(x) = log(1 + e^{βx})/β, and x itself where βx > threshold (PyTorch's convention).
 * NOTE: a primitive, not composed, so that large |x| neither overflows nor loses digits;
 * threshold = Infinity gives the exact form BCE-with-logits needs.
 */
export const softplus = defineOp<{ readonly beta: number; readonly threshold: number }, 1>({
  name: "softplus",
  arity: 1,
  elementwise: true,
  notation: () => call("softplus"),
  shape(inputs) {
    return inputs[0].shape;
  },
  forward([x], { beta, threshold }, _s, be) {
    const out = be.alloc(x.dtype, x.data.length);
    be.kernels.unary("softplus", x.data, out, [beta, threshold]);
    return out;
  },
  // ∂softplus/∂x = σ(βx) below the threshold, 1 above it
  backward(g, { inputs: [x], attrs: { beta, threshold } }, F) {
    const bx = beta === 1 ? x : F.mul(x, beta);
    if (threshold === Infinity) return [F.mul(g, F.sigmoid(bx))]; // NOTE: no linear region, so no branch to print
    return [F.where(F.gt(bx, threshold), g, F.mul(g, F.sigmoid(bx)))];
  },
  samples: [
    { shapes: [[5]], attrs: { beta: 1, threshold: 20 }, domains: [[-3, 3]] },
    { shapes: [[2, 3]], attrs: { beta: 2, threshold: 1 }, domains: [[-3, 3]] },
    { shapes: [[4]], attrs: { beta: 1, threshold: Infinity }, domains: [[-30, 30]] },
  ],
});
