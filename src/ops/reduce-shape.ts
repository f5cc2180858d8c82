// Shared bookkeeping for reductions: resolve axes, run a kernel axis by axis.
import type { Backend } from "../backend/backend.js";
import type { ReduceKernel } from "../kernels/index.js";
import { dtypeOf, type Storage } from "../tensor/dtype.js";
import { normalizeAxes, reducedShape, type Shape } from "../tensor/shape.js";

import type { TensorLike } from "./types.js";

/** Attributes of every axis reduction. */
export interface ReduceAttrs {
  readonly axis?: number | readonly number[] | undefined;
  readonly keepdims?: boolean | undefined;
}

/** The output shape of a reduction of x over attrs.axis. */
export function reduceShape(op: string, [x]: readonly [TensorLike], attrs: ReduceAttrs): Shape {
  return reducedShape(x.shape, normalizeAxes(op, attrs.axis, x.shape.length), attrs.keepdims ?? false);
}

/** Reduces `data` of `shape` over `axes` (innermost first), returning the reduced storage. */
export function reduceData(be: Backend, op: ReduceKernel, data: Storage, shape: Shape, axes: readonly number[]): Storage {
  // NOTE: a vector's one axis (a one-sample loss, a sumTo down to 0-d) in one call, without the axis bookkeeping
  if (axes.length === 1 && shape.length === 1) {
    if (data.length === 0 && op !== "sum") throw new RangeError(`${op}: cannot reduce an empty axis`);
    const out = be.alloc(dtypeOf(data), 1);
    be.kernels.reduceAxis(op, data, 1, data.length, 1, out);
    return out;
  }
  let cur = data;
  const dims = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < shape.length; i++) dims[i] = shape[i] as number;
  for (let i = axes.length - 1; i >= 0; i--) {
    const ax = axes[i] as number;
    const n = dims[ax] as number;
    let outer = 1, inner = 1;
    for (let d = 0; d < ax; d++) outer *= dims[d] as number;
    for (let d = ax + 1; d < dims.length; d++) inner *= dims[d] as number;
    if (n === 0 && op !== "sum") throw new RangeError(`${op}: cannot reduce an empty axis`);
    const out = be.alloc(dtypeOf(data), outer * inner);
    be.kernels.reduceAxis(op, cur, outer, n, inner, out);
    cur = out;
    dims[ax] = 1;
  }
  return cur === data ? be.alloc(dtypeOf(data), data.length, data) : cur;
}

/** The shape of the reduced result with the reduced axes kept as 1 (for broadcasting back). */
export function keptShape(x: Shape, attrs: ReduceAttrs, op: string): Shape {
  return reducedShape(x, normalizeAxes(op, attrs.axis, x.length), true);
}

export const REDUCE_SAMPLES = [
  { shapes: [[5]], attrs: {} },
  { shapes: [[2, 3]], attrs: { axis: 1 } },
  { shapes: [[2, 3]], attrs: { axis: 0, keepdims: true } },
  { shapes: [[2, 3, 4]], attrs: { axis: [0, 2] } },
  { shapes: [[3, 2]], attrs: { axis: -1, keepdims: true } },
] as const;

/** The max-shifted pieces of log Σ exp over `axes`: x − m, log Σ exp(x − m) and m (both kept-shaped). */
export function shiftedLogSumExp(be: Backend, x: Storage, shape: Shape, axes: readonly number[]): { shifted: Storage; logSum: Storage; max: Storage; kept: Shape } {
  const m = reduceData(be, "max", x, shape, axes);
  be.kernels.unary("finiteOrZero", m, m); // all −∞ (or ±∞) rows
  const kept = reducedShape(shape, axes, true);
  const shifted = be.alloc(dtypeOf(x), x.length);
  be.kernels.binary("sub", x, shape, m, kept, shifted, shape);
  const e = be.alloc(dtypeOf(x), x.length);
  be.kernels.unary("exp", shifted, e);
  const logSum = reduceData(be, "sum", e, shape, axes);
  be.free(e); // a temporary no one else sees
  be.kernels.unary("log", logSum, logSum);
  return { shifted, logSum, max: m, kept };
}
