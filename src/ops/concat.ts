import { DTypeError, ShapeError } from "../tensor/errors.js";
import { fmt, normalizeAxis, sizeOf } from "../tensor/shape.js";
import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** Joins tensors along an existing axis. */
export const concat = defineOp<{ readonly axis: number }, -1>({
  name: "concat",
  arity: -1,
  notation: () => call("concat"),
  shape(inputs, { axis }) {
    const x0 = inputs[0];
    if (x0 === undefined) throw new ShapeError("needs at least one tensor, got none.", { op: "concat" });
    if (x0.shape.length === 0) throw new ShapeError("cannot concatenate 0-d tensors.", { op: "concat", hint: "Use stack()." });
    const ax = normalizeAxis("concat", axis, x0.shape.length);
    let total = 0;
    for (const x of inputs) {
      if (x.dtype !== x0.dtype) throw new DTypeError(`all inputs must share a dtype, got ${x0.dtype} and ${x.dtype}.`, { op: "concat" });
      const ok = x.shape.length === x0.shape.length && x.shape.every((d, i) => i === ax || d === x0.shape[i]);
      if (!ok) throw new ShapeError(`shapes must match except on axis ${ax}, got ${fmt(x0.shape)} and ${fmt(x.shape)}.`, { op: "concat", shapes: inputs.map((t) => t.shape) });
      total += x.shape[ax] as number;
    }
    return x0.shape.map((d, i) => (i === ax ? total : d));
  },
  forward(inputs, { axis }, outShape, be) {
    const ax = normalizeAxis("concat", axis, outShape.length);
    const out = be.alloc(inputs[0]?.dtype ?? "float64", sizeOf(outShape));
    const outer = sizeOf(outShape.slice(0, ax));
    const inner = sizeOf(outShape.slice(ax + 1));
    const rowOut = (outShape[ax] as number) * inner;
    let at = 0;
    for (const x of inputs) {
      const rowIn = (x.shape[ax] as number) * inner;
      be.kernels.scatter(x.data, [outer, rowIn], out, at, [rowOut, 1]);
      at += rowIn;
    }
    return out;
  },
  // ∂/∂xᵢ: the slice of gradOut that xᵢ filled
  backward(g, { inputs, attrs: { axis } }, F) {
    const ax = normalizeAxis("concat", axis, g.shape.length);
    let at = 0;
    return inputs.map((x) => {
      const n = x.shape[ax] as number;
      const starts = g.shape.map((_, i) => (i === ax ? at : 0));
      const ends = g.shape.map((d, i) => (i === ax ? at + n : d));
      at += n;
      return F.slice(g, starts, ends, g.shape.map(() => 1));
    });
  },
  samples: [
    { shapes: [[2], [3]], attrs: { axis: 0 } },
    { shapes: [[2, 1], [2, 3], [2, 2]], attrs: { axis: 1 } },
  ],
});
