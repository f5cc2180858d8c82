// NOTE: a primitive rather than log(sum(exp(x))) so that large inputs do not overflow:
// logsumexp(x) = m + log Σ exp(x − m) with m = max(x).
import { normalizeAxes, sizeOf } from "../tensor/shape.js";
import { keptShape, REDUCE_SAMPLES, type ReduceAttrs, reduceShape, shiftedLogSumExp } from "./reduce-shape.js";
import { call } from "./notation.js";
import { defineOp } from "./types.js";

export const logsumexp = defineOp<ReduceAttrs, 1>({
  name: "logsumexp",
  arity: 1,
  notation: () => call("logsumexp"),
  shape: (inputs, attrs) => reduceShape("logsumexp", inputs, attrs),
  forward([x], attrs, outShape, be) {
    const axes = normalizeAxes("logsumexp", attrs.axis, x.shape.length);
    const { shifted, logSum, max, kept } = shiftedLogSumExp(be, x.data, x.shape, axes);
    const out = be.alloc(x.dtype, sizeOf(outShape));
    be.kernels.binary("add", logSum, kept, max, kept, out, kept); // m + log Σ exp(x − m)
    for (const t of [shifted, logSum, max]) be.free(t); // temporaries no one else sees
    return out;
  },
  // ∂lse/∂xᵢ = exp(xᵢ − lse) = softmax(x)ᵢ
  backward(g, { inputs: [x], output, attrs }, F) {
    const kept = keptShape(x.shape, attrs, "logsumexp");
    return [F.mul(F.reshape(g, kept), F.exp(F.sub(x, F.reshape(output, kept))))];
  },
  samples: REDUCE_SAMPLES,
});
