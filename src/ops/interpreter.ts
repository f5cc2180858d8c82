// An interpretation of the ops (apply + constants) and the Functional it gives, which backward rules
// and composites are written with: autograd records, explicit layers tape, worked solutions use symbols.
import { onlyLeadingAxes, type Shape, shapesEqual, unbroadcastAxes } from "../tensor/shape.js";
import { ops } from "./registry.js";
import type { DType } from "../tensor/dtype.js";
import type { Functional, OpDef, TensorLike } from "./types.js";

/** How a concrete tensor type runs ops and makes 0-d constants: one interpretation of the ops. */
export interface Interpreter<T extends TensorLike> {
  apply<A>(op: OpDef<A>, inputs: readonly T[], attrs: A): T;
  scalar(value: number, dtype: DType): T;
  constant(values: ArrayLike<number>, shape: Shape, dtype: DType): T;
  /**
   * sumTo over leading axes alone as one sum without kept axes, not a sum and a reshape (the same
   * numbers, one node fewer; autograd's choice — worked solutions keep the shape of each step).
   */
  readonly leanSumTo?: boolean;
}

/** The Functional of an interpreter. */
export function makeFunctional<T extends TensorLike>(b: Interpreter<T>): Functional<T> {
  // NOTE: a number meets another number's default dtype, float64
  const lift = (x: T | number, like: T | null): T => (typeof x === "number" ? b.scalar(x, like?.dtype ?? "float64") : x);
  const pair = (x: T | number, y: T | number): [T, T] => {
    const like = typeof x !== "number" ? x : typeof y !== "number" ? y : null; // two numbers: the default dtype
    return [lift(x, like), lift(y, like)];
  };
  const bin = (op: OpDef<null>) => (x: T | number, y: T | number): T => b.apply(op, pair(x, y), null);
  const un = (op: OpDef<null>) => (x: T): T => b.apply(op, [x], null);
  const lean = b.leanSumTo === true;
  const F: Functional<T> = {
    apply: (op, inputs, attrs) => b.apply(op, inputs, attrs),
    scalar: (value, dtype) => b.scalar(value, dtype),
    constant: (values, shape, dtype) => b.constant(values, shape, dtype),
    add: bin(ops.add), sub: bin(ops.sub), mul: bin(ops.mul), div: bin(ops.div), pow: bin(ops.pow),
    maximum: bin(ops.maximum), minimum: bin(ops.minimum), gt: bin(ops.gt), ge: bin(ops.ge), lt: bin(ops.lt), le: bin(ops.le), eq: bin(ops.eq),
    neg: un(ops.neg), exp: un(ops.exp), log: un(ops.log), sigmoid: un(ops.sigmoid), tanh: un(ops.tanh),
    relu: un(ops.relu), erf: un(ops.erf), abs: un(ops.abs), sign: un(ops.sign),
    powScalar: (x, exponent) => b.apply(ops.powScalar, [x], { exponent }),
    softplus: (x, beta, threshold) => b.apply(ops.softplus, [x], { beta, threshold }),
    logSoftmax: (x, axis) => b.apply(ops.logSoftmax, [x], { axis }),
    bce: (p, y) => b.apply(ops.bce, [p, y], null),
    clamp: (x, min, max) => b.apply(ops.clamp, [x], { min, max }),
    matmul: (x, y) => b.apply(ops.matmul, [x, y], null),
    transposeLast: (x) => {
      const n = x.shape.length;
      if (n < 2) return x;
      return b.apply(ops.permute, [x], { axes: x.shape.map((_, i) => (i === n - 2 ? n - 1 : i === n - 1 ? n - 2 : i)) });
    },
    permute: (x, axes) => b.apply(ops.permute, [x], { axes }),
    // NOTE: same-shape reshape/expand/sumTo hand back their input: backward rules and layer internals call
    // these, where sharing a node is harmless; the Tensor methods users call always make a new node.
    reshape: (x, shape) => (shapesEqual(x.shape, shape) ? x : b.apply(ops.reshape, [x], { shape })),
    expand: (x, shape) => (shapesEqual(x.shape, shape) ? x : b.apply(ops.expand, [x], { shape })),
    sum: (x, axes, keepdims) => b.apply(ops.sum, [x], { axis: axes, keepdims }),
    // NOTE: with leanSumTo, only leading axes to sum (a broadcast that added axes in front) is one sum without kept axes
    sumTo: (x, shape) => {
      if (shapesEqual(x.shape, shape)) return x;
      const axis = unbroadcastAxes(x.shape, shape);
      if (lean && onlyLeadingAxes(axis, x.shape.length - shape.length)) return b.apply(ops.sum, [x], { axis, keepdims: false });
      return F.reshape(b.apply(ops.sum, [x], { axis, keepdims: true }), shape);
    },
    slice: (x, starts, ends, steps) => b.apply(ops.slice, [x], { starts, ends, steps }),
    pad: (x, before, after, steps) => b.apply(ops.pad, [x], { before, after, steps }),
    where: (c, x, y) => {
      const like = typeof x === "number" ? (typeof y === "number" ? c : y) : x;
      return b.apply(ops.where, [c, lift(x, like), lift(y, like)], null);
    },
  };
  return F;
}
