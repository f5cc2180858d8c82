// NOTE: a primitive rather than log(sum(exp(x))) so that large inputs do not overflow:
// logsumexp(x) = m + log Σ exp(x − m) with m = max(x).
import { allocate } from "../tensor/dtype.js";
import { normalizeAxes, sizeOf } from "../tensor/shape.js";
import { keptShape, REDUCE_SAMPLES, type ReduceAttrs, reduceData, reduceShape } from "./reduce-shape.js";
import { defineOp } from "./types.js";

export const logsumexp = defineOp<ReduceAttrs>({
  name: "logsumexp",
  arity: 1,
  shape: (inputs, attrs) => reduceShape("logsumexp", inputs, attrs),
  forward([x], attrs, outShape, k) {
    const axes = normalizeAxes("logsumexp", attrs.axis, x!.shape.length);
    const m = reduceData(k, "max", x!.data, x!.shape, axes);
    for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i] as number)) m[i] = 0; // all −∞ (or ±∞) rows
    const kept = keptShape(x!.shape, attrs, "logsumexp");
    const shifted = allocate(x!.dtype, x!.data.length);
    k.binary("sub", x!.data, x!.shape, m, kept, shifted, x!.shape);
    k.unary("exp", shifted, shifted);
    const s = reduceData(k, "sum", shifted, x!.shape, axes);
    k.unary("log", s, s);
    const out = allocate(x!.dtype, sizeOf(outShape));
    k.binary("add", s, kept, m, kept, out, kept);
    return out;
  },
  // ∂lse/∂xᵢ = exp(xᵢ − lse) = softmax(x)ᵢ
  backward(g, { inputs: [x], output, attrs }, F) {
    const kept = keptShape(x!.shape, attrs, "logsumexp");
    return [F.mul(F.reshape(g, kept), F.exp(F.sub(x!, F.reshape(output, kept))))];
  },
  samples: REDUCE_SAMPLES,
});
