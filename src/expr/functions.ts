// Functions callable from the expression language: name → arity and implementation.
import type { Tensor } from "../autograd/tensor.js";
import { elu, gelu, leakyRelu, silu, softplus } from "../nn/activations.js";
import { huberLoss } from "../nn/losses.js";

export interface FunctionDef {
  readonly min: number;
  readonly max: number;
  /** Extra arguments that must be plain numbers (axis, slope …), by position. */
  readonly numeric?: readonly number[];
  readonly doc: string;
  readonly fn: (args: readonly Tensor[], nums: readonly number[]) => Tensor;
}

const t = (args: readonly Tensor[]): Tensor => args[0] as Tensor;
const axisOf = (nums: readonly number[]): number | undefined => nums[1];

const DEFS: Readonly<Record<string, FunctionDef>> = {
  exp: { min: 1, max: 1, doc: "eˣ", fn: (a) => t(a).exp() },
  log: { min: 1, max: 1, doc: "natural logarithm", fn: (a) => t(a).log() },
  ln: { min: 1, max: 1, doc: "natural logarithm", fn: (a) => t(a).log() },
  sqrt: { min: 1, max: 1, doc: "square root", fn: (a) => t(a).sqrt() },
  abs: { min: 1, max: 1, doc: "absolute value", fn: (a) => t(a).abs() },
  sigmoid: { min: 1, max: 1, doc: "logistic σ(x) = 1/(1 + e⁻ˣ)", fn: (a) => t(a).sigmoid() },
  tanh: { min: 1, max: 1, doc: "hyperbolic tangent", fn: (a) => t(a).tanh() },
  relu: { min: 1, max: 1, doc: "max(x, 0)", fn: (a) => t(a).relu() },
  leakyrelu: { min: 1, max: 2, numeric: [1], doc: "leakyrelu(x, slope = 0.01)", fn: (a, n) => leakyRelu(t(a), { negativeSlope: n[1] ?? 0.01 }) },
  gelu: { min: 1, max: 1, doc: "x·Φ(x)", fn: (a) => gelu(t(a)) },
  softplus: { min: 1, max: 1, doc: "log(1 + eˣ)", fn: (a) => softplus(t(a)) },
  elu: { min: 1, max: 2, numeric: [1], doc: "elu(x, alpha = 1)", fn: (a, n) => elu(t(a), { alpha: n[1] ?? 1 }) },
  silu: { min: 1, max: 1, doc: "x·σ(x)", fn: (a) => silu(t(a)) },
  softmax: { min: 1, max: 2, numeric: [1], doc: "softmax(x, axis = -1)", fn: (a, n) => t(a).softmax(axisOf(n) ?? -1) },
  logsoftmax: { min: 1, max: 2, numeric: [1], doc: "logsoftmax(x, axis = -1)", fn: (a, n) => t(a).logSoftmax(axisOf(n) ?? -1) },
  sum: { min: 1, max: 2, numeric: [1], doc: "sum(x, axis?)", fn: (a, n) => t(a).sum(axisOf(n)) },
  mean: { min: 1, max: 2, numeric: [1], doc: "mean(x, axis?)", fn: (a, n) => t(a).mean(axisOf(n)) },
  max: { min: 1, max: 2, numeric: [1], doc: "max(x, axis?)", fn: (a, n) => t(a).max(axisOf(n)) },
  min: { min: 1, max: 2, numeric: [1], doc: "min(x, axis?)", fn: (a, n) => t(a).min(axisOf(n)) },
  transpose: { min: 1, max: 1, doc: "matrix transpose", fn: (a) => t(a).transpose() },
  huber: { min: 2, max: 2, numeric: [1], doc: "huber(d, delta): ½d² where |d| < δ, δ(|d| − ½δ) elsewhere", fn: (a, n) => huberLoss(t(a), t(a).mul(0), { delta: n[1] ?? 1, reduction: "none" }) },
  dot: { min: 2, max: 2, doc: "inner product of two vectors", fn: (a) => t(a).mul(a[1] as Tensor).sum() },
};

/**
 * Every function the expression language knows, in an object without a prototype: `FUNCTIONS.toString`
 * is undefined, not Object.prototype's method.
 */
export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = Object.freeze(Object.assign(Object.create(null) as Record<string, FunctionDef>, DEFS));

/** The function called `name`, if the language has one. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}
