// Functions callable from the expression language. Every registered op with a call form (ops/*.ts)
// is callable by its name with no edit here; the entries below add the composites, reductions with
// an axis, and the losses, all written once over Functional so that autograd, the worked solutions
// and symbolic answers interpret the same definitions.
import * as C from "../ops/composites.js";
import { ops, registry } from "../ops/registry.js";
import type { Functional, TensorLike } from "../ops/types.js";
import { ShapeError } from "../tensor/errors.js";
import { fmt, normalizeAxes } from "../tensor/shape.js";

/** One function: arity bounds, which arguments must be plain numbers, and its definition. */
export interface FunctionDef {
  readonly min: number;
  readonly max: number;
  /** Extra arguments that must be plain numbers (axis, slope …), by position. */
  readonly numeric?: readonly number[];
  readonly doc: string;
  fn<T extends TensorLike>(args: readonly T[], nums: readonly number[], F: Functional<T>): T;
}

const first = <T>(args: readonly T[]): T => args[0] as T;
const second = <T>(args: readonly T[]): T => args[1] as T;
const allAxes = (x: TensorLike): number[] => x.shape.map((_, i) => i);
const axesOf = (x: TensorLike, axis: number | undefined, op: string): readonly number[] => normalizeAxes(op, axis, x.shape.length);

function reduction(name: "max" | "min" | "logsumexp", doc: string): FunctionDef {
  return { min: 1, max: 2, numeric: [1], doc, fn: (a, n, F) => F.apply(ops[name], [first(a)], { axis: n[1], keepdims: false }) };
}

/** NCHW view of an image argument: [H, W] → [1, 1, H, W], [C, H, W] → [1, C, H, W]; and how to undo it. */
function asImage<T extends TensorLike>(x: T, F: Functional<T>, op: string): [T, (y: T) => T] {
  const n = x.shape.length;
  if (n < 2 || n > 4) throw new ShapeError(`input must be an image [H, W], [C, H, W] or [N, C, H, W], got ${fmt(x.shape)}.`, { op });
  if (n === 4) return [x, (y) => y];
  const lead = n === 2 ? [1, 1] : [1];
  return [F.reshape(x, [...lead, ...x.shape]), (y) => F.reshape(y, y.shape.slice(4 - n))];
}

/** A kernel argument: [kh, kw] → [1, 1, kh, kw]. */
const asKernel = <T extends TensorLike>(k: T, F: Functional<T>): T => (k.shape.length === 2 ? F.reshape(k, [1, 1, ...k.shape]) : k);

/** The registered op called `name` (an image op's NCHW form) on tensors, with the numbers after them. */
function imageOp<T extends TensorLike>(name: string, args: readonly T[], n: readonly number[], F: Functional<T>): T {
  const c = registry.find((op) => op.call?.name === name)?.call;
  if (c === undefined || c === null) throw new ShapeError(`no image op called ${name}.`, { op: name });
  return c.run(F, args, n.slice(args.length));
}

/** maxpool2d and its gradient ops on images of any rank: the tensors as images, then the numbers k, stride, padding. */
function poolFunction(name: string, doc: string): FunctionDef {
  const arity = name === "maxpool2d" ? 1 : 2;
  return {
    min: arity, max: arity + 3, numeric: [arity, arity + 1, arity + 2], doc,
    fn(a, n, F) {
      const [x, back] = asImage(first(a), F, name);
      const images = a.map((t, i) => (i === 0 ? x : asImage(t, F, name)[0]));
      return back(imageOp(name, images, n, F));
    },
  };
}

const defined: Readonly<Record<string, FunctionDef>> = {
  conv2d: {
    min: 2, max: 6, numeric: [2, 3, 4, 5], doc: "conv2d(x, k, stride = 1, padding = 0, dilation = 1, groups = 1): cross-correlation of an image [H, W] (or [C, H, W], [N, C, H, W]) with a kernel [kh, kw] (or [O, C/groups, kh, kw])",
    fn(a, n, F) {
      const [x, back] = asImage(first(a), F, "conv2d");
      return back(imageOp("conv2d", [x, asKernel(second(a), F)], n, F));
    },
  },
  // NOTE: the gradient ops print as these calls in worked solutions (their operands as the program
  // shaped them, [H, W] or [C, H, W]), so every printed step can be read back.
  conv2d_weight_grad: {
    min: 4, max: 8, numeric: [2, 3, 4, 5, 6, 7], doc: "conv2d_weight_grad(x, g, kh, kw, stride = 1, padding = 0, dilation = 1, groups = 1): ∂L/∂k of conv2d(x, k) given g = ∂L/∂conv2d(x, k), the cross-correlation of x with g",
    fn(a, n, F) {
      const [x] = asImage(first(a), F, "conv2d_weight_grad"), [g] = asImage(second(a), F, "conv2d_weight_grad");
      const dk = imageOp("conv2d_weight_grad", [x, g], n, F);
      return first(a).shape.length === 2 && second(a).shape.length === 2 ? F.reshape(dk, dk.shape.slice(2)) : dk;
    },
  },
  conv2d_input_grad: {
    min: 4, max: 8, numeric: [2, 3, 4, 5, 6, 7], doc: "conv2d_input_grad(g, k, H, W, stride = 1, padding = 0, dilation = 1, groups = 1): ∂L/∂x of conv2d(x, k) for an H×W image x given g = ∂L/∂conv2d(x, k), the full convolution of g with the flipped kernel",
    fn(a, n, F) {
      const [g, back] = asImage(first(a), F, "conv2d_input_grad");
      return back(imageOp("conv2d_input_grad", [g, asKernel(second(a), F)], n, F));
    },
  },
  maxpool2d: poolFunction("maxpool2d", "maxpool2d(x, k = 2, stride = k, padding = 0): the maximum of each k×k window of an image"),
  maxpool2d_scatter: poolFunction("maxpool2d_scatter", "maxpool2d_scatter(x, g, k = 2, stride = k, padding = 0): ∂L/∂x of maxpool2d(x, …) given g: each window's g at the window's first maximum of x, summed where windows overlap"),
  maxpool2d_gather: poolFunction("maxpool2d_gather", "maxpool2d_gather(x, v, k = 2, stride = k, padding = 0): v read at each window's first maximum of x"),
  ln: { min: 1, max: 1, doc: "natural logarithm", fn: (a, _n, F) => F.log(first(a)) },
  cosh: { min: 1, max: 1, doc: "cosh x = (eˣ + e⁻ˣ)/2", fn: (a, _n, F) => F.mul(F.add(F.exp(first(a)), F.exp(F.neg(first(a)))), 0.5) },
  sinh: { min: 1, max: 1, doc: "sinh x = (eˣ − e⁻ˣ)/2", fn: (a, _n, F) => F.mul(F.sub(F.exp(first(a)), F.exp(F.neg(first(a)))), 0.5) },
  leakyrelu: { min: 1, max: 2, numeric: [1], doc: "leakyrelu(x, slope = 0.01)", fn: (a, n, F) => C.leakyRelu(first(a), n[1] ?? 0.01, F) },
  gelu: { min: 1, max: 1, doc: "x·Φ(x)", fn: (a, _n, F) => C.gelu(first(a), "none", F) },
  softplus: { min: 1, max: 1, doc: "log(1 + eˣ)", fn: (a, _n, F) => F.softplus(first(a), 1, 20) },
  elu: { min: 1, max: 2, numeric: [1], doc: "elu(x, alpha = 1)", fn: (a, n, F) => C.elu(first(a), n[1] ?? 1, F) },
  silu: { min: 1, max: 1, doc: "x·σ(x)", fn: (a, _n, F) => C.silu(first(a), F) },
  softmax: { min: 1, max: 2, numeric: [1], doc: "softmax(x, axis = -1)", fn: (a, n, F) => C.softmax(first(a), n[1] ?? -1, F) },
  logsoftmax: { min: 1, max: 2, numeric: [1], doc: "logsoftmax(x, axis = -1)", fn: (a, n, F) => F.logSoftmax(first(a), n[1] ?? -1) },
  sum: { min: 1, max: 2, numeric: [1], doc: "sum(x, axis?)", fn: (a, n, F) => F.sum(first(a), axesOf(first(a), n[1], "sum"), false) },
  mean: {
    min: 1, max: 2, numeric: [1], doc: "mean(x, axis?)",
    fn(a, n, F) {
      const x = first(a), axes = axesOf(x, n[1], "mean");
      return F.div(F.sum(x, axes, false), Math.max(axes.reduce((acc, i) => acc * (x.shape[i] as number), 1), 1));
    },
  },
  max: reduction("max", "max(x, axis?)"),
  min: reduction("min", "min(x, axis?)"),
  logsumexp: reduction("logsumexp", "logsumexp(x, axis?)"),
  ones: { min: 1, max: 2, numeric: [0, 1], doc: "ones(m, n): an m×n matrix of ones (ones(n): a column)", fn: (_a, n, F) => F.expand(F.scalar(1, "float64"), n.length === 1 ? [n[0] as number, 1] : n) },
  transpose: { min: 1, max: 1, doc: "matrix transpose", fn: (a, _n, F) => C.transpose(first(a), F) },
  reshape: { min: 1, max: 5, numeric: [1, 2, 3, 4], doc: "reshape(x, d1, d2 …): the same numbers in another shape (−1 once for the rest)", fn: (a, n, F) => F.apply(ops.reshape, [first(a)], { shape: n.slice(1) }) },
  matmul: { min: 2, max: 2, doc: "matrix product (a @ b)", fn: (a, _n, F) => C.matmul(first(a), second(a), F) },
  mmul: {
    min: 2, max: 2, doc: "mmul(a, b): the matrix product when both are matrices (not 1×1), else the elementwise product (matrix-calculus answers)",
    fn: (a, _n, F) => { const x = first(a), y = second(a); const mat = (t: TensorLike): boolean => t.shape.length === 2 && t.shape[0] !== undefined && t.shape.reduce((p, d) => p * d, 1) > 1; return mat(x) && mat(y) ? C.matmul(x, y, F) : F.mul(x, y); },
  },
  dot: { min: 2, max: 2, doc: "inner product of two vectors", fn: (a, _n, F) => { const x = F.mul(first(a), second(a)); return F.sum(x, allAxes(x), false); } },
  huber: { min: 2, max: 2, numeric: [1], doc: "huber(d, delta): ½d² where |d| < δ, δ(|d| − ½δ) elsewhere", fn: (a, n, F) => C.huberOf(first(a), n[1] ?? 1, F) },
  // Losses, elementwise (reduction "none"); problem files wrap them in mean/sum as configured.
  squarederror: { min: 2, max: 2, doc: "squarederror(yhat, y) = (yhat − y)², as mseLoss", fn: (a, _n, F) => C.mse(first(a), second(a), "none", false, F) },
  absoluteerror: { min: 2, max: 2, doc: "absoluteerror(yhat, y) = |yhat − y|, as l1Loss", fn: (a, _n, F) => C.l1(first(a), second(a), "none", F) },
  huberloss: { min: 2, max: 3, numeric: [2], doc: "huberloss(yhat, y, delta = 1), as huberLoss", fn: (a, n, F) => C.huber(first(a), second(a), n[2] ?? 1, "none", F) },
  bcewithlogits: { min: 2, max: 2, doc: "bcewithlogits(z, y) = softplus(z) − z·y, as bceWithLogitsLoss", fn: (a, _n, F) => C.bceWithLogits(first(a), second(a), "none", F) },
  crossentropy: { min: 2, max: 2, doc: "crossentropy(z, y) = −Σ y·logsoftmax(z), as crossEntropy with class probabilities", fn: (a, _n, F) => C.softmaxCrossEntropy(first(a), second(a), F) },
  nll: { min: 2, max: 2, doc: "nll(p, y) = −Σ y·log p over the class axis", fn: (a, _n, F) => { const p = first(a), ax = p.shape.length >= 2 ? 1 : 0; return C.nllOfProbabilities(F.log(p), second(a), ax, "none", F); } },
};

/** Every function the expression language knows, by name (a Map: no prototype lookups). */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  ...registry.flatMap((op): [string, FunctionDef][] => {
    const c = op.call;
    if (c === null) return [];
    const min = c.arity + c.numbers[0], max = c.arity + c.numbers[1];
    const numeric = Array.from({ length: c.numbers[1] }, (_, i) => c.arity + i);
    return [[c.name, {
      min, max, numeric, doc: `${c.name}(${Array.from({ length: c.arity }, (_, i) => "xyz"[i] ?? `x${i}`).join(", ")}): the ${op.name} op`,
      fn: (args, nums, F) => c.run(F, args, nums.slice(c.arity)),
    }]];
  }),
  ...Object.entries(defined),
]);
