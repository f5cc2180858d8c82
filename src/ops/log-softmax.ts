// NOTE: a primitive for numerical stability: log_softmax(x) = x − logsumexp(x) computed with the
// max shift, so |logits| of 1e4 give finite results.
import { allocate } from "../tensor/dtype.js";
import { normalizeAxis, reducedShape } from "../tensor/shape.js";
import { arity, first } from "./checks.js";
import { reduceData } from "./reduce-shape.js";
import { defineOp } from "./types.js";

export const logSoftmax = defineOp<{ readonly axis: number }>({
  name: "logSoftmax",
  arity: 1,
  shape(inputs, { axis }) {
    arity("logSoftmax", inputs, 1);
    const x = first("logSoftmax", inputs);
    normalizeAxis("logSoftmax", axis, x.shape.length);
    return x.shape;
  },
  forward([x], { axis }, _s, k) {
    const ax = x!.shape.length === 0 ? 0 : normalizeAxis("logSoftmax", axis, x!.shape.length);
    const shape = x!.shape.length === 0 ? [1] : x!.shape;
    const kept = reducedShape(shape, [ax], true);
    const m = reduceData(k, "max", x!.data, shape, [ax]);
    for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i] as number)) m[i] = 0;
    const shifted = allocate(x!.dtype, x!.data.length);
    k.binary("sub", x!.data, shape, m, kept, shifted, shape);
    const e = allocate(x!.dtype, x!.data.length);
    k.unary("exp", shifted, e);
    const s = reduceData(k, "sum", e, shape, [ax]);
    k.unary("log", s, s);
    k.binary("sub", shifted, shape, s, kept, shifted, shape);
    return shifted;
  },
  // ∂/∂x: g − softmax(x) · Σ g  (softmax = exp(output))
  backward(g, { inputs: [x], output, attrs: { axis } }, F) {
    if (x!.shape.length === 0) return [F.mul(g, 0)];
    const ax = normalizeAxis("logSoftmax", axis, x!.shape.length);
    return [F.sub(g, F.mul(F.exp(output), F.sum(g, [ax], true)))];
  },
  samples: [
    { shapes: [[5]], attrs: { axis: 0 } },
    { shapes: [[2, 4]], attrs: { axis: 1 } },
    { shapes: [[3, 2]], attrs: { axis: 0 } },
    { shapes: [[2, 3, 2]], attrs: { axis: -2 } },
  ],
});
