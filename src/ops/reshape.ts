import { ShapeError } from "../tensor/errors.js";
import { fmt, ownShape, type Shape, sizeOf } from "../tensor/shape.js";

import { same } from "./notation.js";
import { defineOp } from "./types.js";

/** Resolves one −1 entry and checks the element count. */
export function resolveShape(from: Shape, to: readonly number[]): Shape {
  // NOTE: the common case first (no −1, same size), allocating only the result
  let n = 1, plain = true;
  for (let i = 0; i < to.length; i++) {
    const d = to[i] as number;
    if (!Number.isInteger(d) || d < 0) { plain = false; break; }
    n *= d;
  }
  if (plain && n === sizeOf(from)) return ownShape(to, true);
  const unknown = to.filter((d) => d === -1).length;
  if (unknown > 1 || to.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`new shape must be non-negative integers with at most one −1, got ${fmt(to)}.`, { op: "reshape" });
  }
  const known = sizeOf(to.filter((d) => d !== -1));
  const total = sizeOf(from);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : total / known) : d));
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`cannot reshape ${fmt(from)} (${total} elements) into ${fmt(to)}.`, { op: "reshape", shapes: [from, to] });
  }
  return out;
}

export const reshape = defineOp<{ readonly shape: readonly number[] }, 1>({
  name: "reshape",
  arity: 1,
  notation: () => same,
  shape(inputs, { shape }) {
    return resolveShape(inputs[0].shape, shape);
  },
  // Row-major data does not move.
  // NOTE: a copy through the backend (TypedArray.slice looks up a species constructor: slow for tiny tensors)
  forward: ([x], _a, _s, be) => be.alloc(x.dtype, x.data.length, x.data),
  // ∂/∂x: reshape gradOut back
  backward: (g, { inputs: [x] }, F) => [F.reshape(g, x.shape)],
  samples: [
    { shapes: [[2, 3]], attrs: { shape: [3, 2] } },
    { shapes: [[6]], attrs: { shape: [1, -1, 2] } },
    { shapes: [[]], attrs: { shape: [1, 1] } },
  ],
});
