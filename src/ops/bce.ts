// Elementwise binary cross-entropy on probabilities.
// NOTE: a primitive, not composed from log, to follow PyTorch exactly at the edges: each log is
// clamped to ≥ −100 in forward, and backward uses (p − y)/max(p(1 − p), 1e−12), so p = 0 or 1
// gives finite values instead of NaN.
import { ShapeError } from "../tensor/errors.js";
import { fmt, shapesEqual } from "../tensor/shape.js";
import { checkDomain } from "./checks.js";
import { call } from "./notation.js";
import { defineOp } from "./types.js";

// NOTE: PyTorch's EPSILON is the float32 nearest 1e-12 (9.9999999600e-13), so we use the same number.
const EPSILON = Math.fround(1e-12);
const notProbability = (v: number): boolean => !(v >= 0 && v <= 1);

export const bce = defineOp<null, 2>({
  name: "bce",
  arity: 2,
  elementwise: true,
  notation: () => call("bce"),
  call: { name: "bce", attrs: () => null },
  shape(inputs) {
    const p = inputs[0].shape, y = inputs[1].shape;
    if (!shapesEqual(p, y)) throw new ShapeError(`input and target must have the same shape, got ${fmt(p)} and ${fmt(y)}.`, { op: "bceLoss", shapes: [p, y] });
    return p;
  },
  checkValues([p]) {
    checkDomain("bceLoss", p, notProbability, "input probabilities must lie in [0, 1]", "Did you mean bceWithLogitsLoss?");
  },
  forward([p, y], _a, _s, be) {
    const out = be.alloc(p.dtype, p.data.length);
    be.kernels.binary("bce", p.data, p.shape, y.data, y.shape, out, p.shape);
    return out;
  },
  // ∂/∂p = (p − y)/max(p(1 − p), 1e−12);  ∂/∂y = log(1 − p) − log p (each clamped at −100)
  backward(g, { inputs: [p, y], needs }, F) {
    const gp = needs[0] === true ? F.div(F.mul(g, F.sub(p, y)), F.maximum(F.mul(p, F.sub(1, p)), EPSILON)) : null;
    const gy = needs[1] === true ? F.mul(g, F.sub(F.clamp(F.log(F.sub(1, p)), -100, Infinity), F.clamp(F.log(p), -100, Infinity))) : null;
    return [gp, gy];
  },
  samples: [
    { shapes: [[4], [4]], attrs: null, domains: [[0.05, 0.95], [0, 1]] },
    { shapes: [[2, 3], [2, 3]], attrs: null, domains: [[0.05, 0.95], [0, 1]] },
  ],
});
