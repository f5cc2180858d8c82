// slice and pad are each other's backward: slice keeps a strided window, pad puts one back in zeros.
import { ShapeError } from "../tensor/errors.js";
import { fmt, type Shape, sizeOf, stridesOf } from "../tensor/shape.js";

import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** Per-axis window: start (inclusive), end (exclusive), positive step; all resolved. */
export interface SliceAttrs {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly steps: readonly number[];
}

function windowShape(op: string, x: Shape, { starts, ends, steps }: SliceAttrs): Shape {
  if (starts.length !== x.length || ends.length !== x.length || steps.length !== x.length) {
    throw new ShapeError(`needs one start/end/step per axis of ${fmt(x)}.`, { op });
  }
  return x.map((d, i) => {
    const s = starts[i] as number, e = ends[i] as number, st = steps[i] as number;
    if (!(Number.isInteger(s) && Number.isInteger(e) && Number.isInteger(st)) || st < 1 || s < 0 || e > d || s > e) {
      throw new ShapeError(`window ${s}:${e}:${st} is outside axis ${i} of size ${d}.`, { op, shapes: [x] });
    }
    return Math.ceil((e - s) / st);
  });
}

function windowOffset(x: Shape, { starts, steps }: SliceAttrs): { off: number; strides: number[] } {
  const st = stridesOf(x);
  return {
    off: starts.reduce((acc, s, i) => acc + s * (st[i] as number), 0),
    strides: st.map((v, i) => v * (steps[i] as number)),
  };
}

export const slice = defineOp<SliceAttrs, 1>({
  name: "slice",
  arity: 1,
  notation: () => call("slice"),
  shape(inputs, attrs) {
    return windowShape("slice", inputs[0].shape, attrs);
  },
  forward([x], attrs, outShape, be) {
    const { off, strides } = windowOffset(x.shape, attrs);
    const out = be.alloc(x.dtype, sizeOf(outShape));
    be.kernels.gather(x.data, off, strides, outShape, out);
    return out;
  },
  // ∂/∂x: gradOut placed back into the window, zeros elsewhere
  backward(g, { inputs: [x], attrs }, F) {
    const before = attrs.starts;
    const after = x.shape.map((d, i) => d - (attrs.starts[i] as number) - ((g.shape[i] as number) - 1) * (attrs.steps[i] as number) - 1);
    return [F.pad(g, before, after, attrs.steps)];
  },
  samples: [
    { shapes: [[6]], attrs: { starts: [1], ends: [5], steps: [2] } },
    { shapes: [[3, 4]], attrs: { starts: [0, 1], ends: [2, 4], steps: [1, 1] } },
  ],
});

/** Inverse of slice: out has size before + (n−1)·step + 1 + after per axis; x fills the window. */
export const pad = defineOp<{ readonly before: readonly number[]; readonly after: readonly number[]; readonly steps: readonly number[] }, 1>({
  name: "pad",
  arity: 1,
  notation: () => call("pad"),
  shape(inputs, { before, after, steps }) {
    const x = inputs[0].shape;
    if (before.length !== x.length || after.length !== x.length || steps.length !== x.length) throw new ShapeError(`needs one before/after/step per axis of ${fmt(x)}.`, { op: "pad" });
    return x.map((d, i) => {
      const b = before[i] as number, a = after[i] as number, s = steps[i] as number;
      if (b < 0 || a < 0 || s < 1) throw new ShapeError(`padding must be non-negative and steps ≥ 1, got before=${b}, after=${a}, step=${s}.`, { op: "pad" });
      return b + (d === 0 ? 0 : (d - 1) * s + 1) + a;
    });
  },
  forward([x], { before, steps }, outShape, be) {
    const out = be.alloc(x.dtype, sizeOf(outShape));
    const { off, strides } = windowOffset(outShape, { starts: before, ends: outShape, steps });
    be.kernels.scatter(x.data, x.shape, out, off, strides);
    return out;
  },
  // ∂/∂x: read the window back out of gradOut
  backward(g, { inputs: [x], attrs: { before, steps } }, F) {
    const ends = x.shape.map((d, i) => (before[i] as number) + (d - 1) * (steps[i] as number) + 1);
    return [F.slice(g, before, ends, steps)];
  },
  samples: [
    { shapes: [[3]], attrs: { before: [1], after: [2], steps: [2] } },
    { shapes: [[2, 2]], attrs: { before: [0, 1], after: [1, 0], steps: [1, 1] } },
  ],
});
