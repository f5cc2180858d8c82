// 2-d max pooling over NCHW. Its gradient routes gradOut to each window's first maximum (PyTorch's
// rule for ties), so the backward is an op of its own, maxPool2dScatter(x, g), and that op's adjoint
// is maxPool2dGather(x, v) (v read at the argmax): both linear in their second input, with x only
// choosing positions (piecewise constant: no gradient flows to it).
import { ShapeError } from "../tensor/errors.js";
import { fmt, type Shape, sizeOf } from "../tensor/shape.js";
import { imageCall } from "./notation.js";
import { defineOp, type DefinedOp, type RawTensor } from "./types.js";
import type { Backend } from "../backend/backend.js";
import { expectNCHW, type Pair, square, window2d, type WindowAttrs } from "./window.js";

/** Kernel size, stride, padding (with −∞) and dilation. */
export interface PoolAttrs extends WindowAttrs {
  readonly kernel: Pair;
}

const dim = (s: Shape, i: number): number => s[i] as number;

function pooledShape(op: string, x: Shape, a: PoolAttrs): Shape {
  expectNCHW(op, x);
  if (a.padding[0] * 2 > a.kernel[0] || a.padding[1] * 2 > a.kernel[1]) {
    throw new ShapeError(`padding must be at most half the kernel, got padding ${a.padding.join("×")} for kernel ${a.kernel.join("×")}.`, { op });
  }
  const win = window2d(op, dim(x, 2), dim(x, 3), a.kernel[0], a.kernel[1], a);
  return [dim(x, 0), dim(x, 1), win.oh, win.ow];
}

const geometry = (op: string, x: Shape, a: PoolAttrs) => window2d(op, dim(x, 2), dim(x, 3), a.kernel[0], a.kernel[1], a);
const planes = (x: Shape): number => dim(x, 0) * dim(x, 1);

function run(kernel: "scatter" | "gather", x: RawTensor, v: RawTensor, a: PoolAttrs, outShape: Shape, be: Backend) {
  const out = be.alloc(x.dtype, sizeOf(outShape));
  const win = geometry("maxPool2d", x.shape, a);
  if (kernel === "scatter") be.kernels.maxPool2dScatter(x.data, v.data, planes(x.shape), dim(x.shape, 2), dim(x.shape, 3), win, out);
  else be.kernels.maxPool2dGather(x.data, v.data, planes(x.shape), dim(x.shape, 2), dim(x.shape, 3), win, out);
  return out;
}

const notationOf = (name: string, a: PoolAttrs) => imageCall(name, a.kernel[0] === a.kernel[1] && a.stride[0] === a.stride[1] && a.padding[0] === a.padding[1] && a.dilation[0] === 1 && a.dilation[1] === 1 ? [a.kernel[0], a.stride[0], ...(a.padding[0] === 0 ? [] : [a.padding[0]])] : [...a.kernel, ...a.stride]);
const callAttrs = ([k = 2, s = k, p = 0]: readonly number[]): PoolAttrs => ({ kernel: [k, k], ...square(s, p, 1) });

const SAMPLE = { kernel: [2, 2], ...square(2, 0, 1) } as const;

export const maxPool2d: DefinedOp<PoolAttrs> = defineOp<PoolAttrs, 1>({
  name: "maxPool2d",
  arity: 1,
  notation: (a) => notationOf("maxpool2d", a),
  call: { name: "maxpool2d", numbers: [0, 3], attrs: callAttrs },
  shape: ([x], a) => pooledShape("maxPool2d", x.shape, a),
  forward([x], a, outShape, be) {
    const out = be.alloc(x.dtype, sizeOf(outShape));
    be.kernels.maxPool2d(x.data, planes(x.shape), dim(x.shape, 2), dim(x.shape, 3), geometry("maxPool2d", x.shape, a), out);
    return out;
  },
  // ∂max/∂xᵢ = [i is the window's first maximum]: gradOut scattered to the argmax
  backward: (g, { inputs: [x], attrs }, F) => [F.apply(maxPool2dScatter, [x, g], attrs)],
  samples: [
    { shapes: [[2, 2, 4, 4]], attrs: SAMPLE },
    { shapes: [[1, 1, 5, 5]], attrs: { kernel: [3, 3], ...square(2, 1, 1) } },
    { shapes: [[1, 2, 5, 4]], attrs: { kernel: [2, 2], stride: [1, 2], padding: [0, 1], dilation: [2, 1] } },
  ],
});

/** dx = gradOut placed at each window's argmax of x (the max pool's backward). */
export const maxPool2dScatter: DefinedOp<PoolAttrs> = defineOp<PoolAttrs, 2>({
  name: "maxPool2dScatter",
  arity: 2,
  notation: (a) => notationOf("maxpool2d_scatter", a),
  call: { name: "maxpool2d_scatter", numbers: [0, 3], attrs: callAttrs },
  shape([x, g], a) {
    const want = pooledShape("maxPool2dScatter", x.shape, a);
    if (fmt(g.shape) !== fmt(want)) throw new ShapeError(`gradOut must have the pooled shape ${fmt(want)}, got ${fmt(g.shape)}.`, { op: "maxPool2dScatter" });
    return x.shape;
  },
  forward: ([x, g], a, outShape, be) => run("scatter", x, g, a, outShape, be),
  // linear in g: ∂/∂g is the gather at the same positions; x only picks positions (no gradient)
  backward: (u, { inputs: [x], attrs, needs }, F) => [null, needs[1] ? F.apply(maxPool2dGather, [x, u], attrs) : null],
  samples: [{ shapes: [[1, 2, 4, 4], [1, 2, 2, 2]], attrs: SAMPLE, constant: [0] }],
});

/** v read at each window's argmax of x (the adjoint of maxPool2dScatter). */
export const maxPool2dGather: DefinedOp<PoolAttrs> = defineOp<PoolAttrs, 2>({
  name: "maxPool2dGather",
  arity: 2,
  notation: (a) => notationOf("maxpool2d_gather", a),
  call: { name: "maxpool2d_gather", numbers: [0, 3], attrs: callAttrs },
  shape([x, v], a) {
    if (fmt(v.shape) !== fmt(x.shape)) throw new ShapeError(`values must have the input's shape ${fmt(x.shape)}, got ${fmt(v.shape)}.`, { op: "maxPool2dGather" });
    return pooledShape("maxPool2dGather", x.shape, a);
  },
  forward: ([x, v], a, outShape, be) => run("gather", x, v, a, outShape, be),
  // linear in v: ∂/∂v scatters back to the argmax
  backward: (g, { inputs: [x], attrs, needs }, F) => [null, needs[1] ? F.apply(maxPool2dScatter, [x, g], attrs) : null],
  samples: [{ shapes: [[1, 2, 4, 4], [1, 2, 4, 4]], attrs: SAMPLE, constant: [0] }],
});
