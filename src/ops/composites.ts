// Composite functions, defined once over any Functional: autograd modules (nn/) run them on
// Tensors with recording, explicit layers (layers/) run them on raw tensors with a local tape.
import { DTypeError, ShapeError, ValueError } from "../tensor/errors.js";
import { fmt, normalizeAxis, shapesEqual, sizeOf } from "../tensor/shape.js";
import { ops } from "./registry.js";
import type { Functional, TensorLike } from "./types.js";

/** Reduction of elementwise losses. */
export type Reduction = "mean" | "sum" | "none";

const size = (t: TensorLike): number => sizeOf(t.shape);
// 0, 1, …, n − 1: every axis
const allAxes = (n: number): number[] => {
  const axes = new Array<number>(n);
  for (let i = 0; i < n; i++) axes[i] = i;
  return axes;
};

/** mean over every element. */
export function meanAll<T extends TensorLike>(x: T, F: Functional<T>): T {
  const total = F.sum(x, allAxes(x.shape.length), false);
  // NOTE: the mean of one element is its sum (x/1 is x exactly, −0 and NaN included): no division node
  const n = size(x);
  return n <= 1 ? total : F.div(total, n);
}

/** Applies a reduction. */
export function reduce<T extends TensorLike>(op: string, loss: T, reduction: Reduction, F: Functional<T>): T {
  if (reduction === "mean") return meanAll(loss, F);
  if (reduction === "sum") return F.sum(loss, allAxes(loss.shape.length), false);
  if (reduction === "none") return loss;
  throw new ValueError(`reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}.`, { op });
}

/** x for x > 0, slope·x otherwise (derivative at 0: slope). */
export const leakyRelu = <T extends TensorLike>(x: T, slope: number, F: Functional<T>): T => F.where(F.gt(x, 0), x, F.mul(x, slope));

/** 0.5·x·(1 + erf(x/√2)), or the tanh approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu<T extends TensorLike>(x: T, approximate: "none" | "tanh", F: Functional<T>): T {
  if (approximate === "tanh") {
    const inner = F.mul(F.add(x, F.mul(F.powScalar(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return F.mul(F.mul(x, 0.5), F.add(F.tanh(inner), 1));
  }
  return F.mul(F.mul(x, 0.5), F.add(F.erf(F.mul(x, Math.SQRT1_2)), 1));
}

/** x for x > 0, α(eˣ − 1) otherwise. NOTE: exp of clamp(x, ≤ 0) keeps the unused branch finite (no 0·∞). */
export const elu = <T extends TensorLike>(x: T, alpha: number, F: Functional<T>): T =>
  F.where(F.gt(x, 0), x, F.mul(F.sub(F.exp(F.clamp(x, -Infinity, 0)), 1), alpha));

/** x·σ(x). */
export const silu = <T extends TensorLike>(x: T, F: Functional<T>): T => F.mul(x, F.sigmoid(x));

/** softmax = exp(log_softmax). */
export const softmax = <T extends TensorLike>(x: T, axis: number, F: Functional<T>): T => F.exp(F.logSoftmax(x, axis));

/** (input − target)², times ½ when `half`, reduced. */
export function mse<T extends TensorLike>(input: T, target: T, reduction: Reduction, half: boolean, F: Functional<T>): T {
  const sq = F.powScalar(F.sub(input, target), 2);
  return reduce("mseLoss", half ? F.mul(sq, 0.5) : sq, reduction, F);
}

/** |input − target|, reduced. */
export const l1 = <T extends TensorLike>(input: T, target: T, reduction: Reduction, F: Functional<T>): T => reduce("l1Loss", F.abs(F.sub(input, target)), reduction, F);

/** ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, reduced. */
export function huber<T extends TensorLike>(input: T, target: T, delta: number, reduction: Reduction, F: Functional<T>): T {
  return reduce("huberLoss", huberOf(F.sub(input, target), delta, F), reduction, F);
}

/** Binary cross-entropy of probabilities, reduced. */
export const bce = <T extends TensorLike>(p: T, y: T, reduction: Reduction, F: Functional<T>): T => reduce("bceLoss", F.bce(p, y), reduction, F);

/** softplus(x) − x·y: BCE on logits, stable for any |x|. */
export const bceWithLogits = <T extends TensorLike>(x: T, y: T, reduction: Reduction, F: Functional<T>): T =>
  reduce("bceWithLogitsLoss", F.sub(F.softplus(x, 1, Infinity), F.mul(x, y)), reduction, F);

/** −Σ_c target_c · logp_c over the class axis, reduced over the rest (target: probabilities or a one-hot mask). */
export function nllOfProbabilities<T extends TensorLike>(logp: T, target: T, classAxis: number, reduction: Reduction, F: Functional<T>): T {
  return reduce("crossEntropy", F.neg(F.sum(F.mul(logp, target), [classAxis], false)), reduction, F);
}

/** ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, elementwise in d. */
export function huberOf<T extends TensorLike>(d: T, delta: number, F: Functional<T>): T {
  const ad = F.abs(d);
  return F.where(F.lt(ad, delta), F.mul(F.powScalar(d, 2), 0.5), F.mul(F.sub(ad, 0.5 * delta), delta));
}

/** Softmax cross-entropy of logits against class probabilities (or a one-hot mask), per sample. */
export function softmaxCrossEntropy<T extends TensorLike>(logits: T, target: T, F: Functional<T>): T {
  const classAxis = logits.shape.length >= 2 ? 1 : 0;
  return nllOfProbabilities(F.logSoftmax(logits, classAxis), target, classAxis, "none", F);
}

/** Matrix product with NumPy's rules: 1-d operands are promoted to matrices and the added axis removed. */
export function matmul<T extends TensorLike>(a: T, b: T, F: Functional<T>): T {
  if (a.dtype !== b.dtype) throw new DTypeError(`dtypes must match, got ${a.dtype} and ${b.dtype}.`, { op: "matmul", dtype: b.dtype, hint: `Convert one with .to("${a.dtype}").` });
  const na = a.shape.length, nb = b.shape.length;
  if (na === 0 || nb === 0) throw new ShapeError(`operands must be at least 1-d, got ${fmt(a.shape)} @ ${fmt(b.shape)}.`, { op: "matmul", shapes: [a.shape, b.shape], hint: "Use mul() for scalars." });
  const ka = a.shape[na - 1] as number;
  const kb = (nb === 1 ? b.shape[0] : b.shape[nb - 2]) as number;
  if (ka !== kb) {
    const hint = b.shape[nb - 1] === ka && nb >= 2 ? "Did you mean b.transpose()?" : na >= 2 && a.shape[na - 2] === kb ? "Did you mean a.transpose()?" : undefined;
    throw new ShapeError(`inner dimensions must match, got ${fmt(a.shape)} @ ${fmt(b.shape)} (${ka} ≠ ${kb}).`, { op: "matmul", shapes: [a.shape, b.shape], ...(hint === undefined ? {} : { hint }) });
  }
  const a2 = na === 1 ? F.reshape(a, [1, ka]) : a;
  const b2 = nb === 1 ? F.reshape(b, [kb, 1]) : b;
  const out = F.matmul(a2, b2);
  if (na > 1 && nb > 1) return out;
  // drop the axes that promotion added: m when a was 1-d, n when b was 1-d
  const n = out.shape.length;
  return F.reshape(out, out.shape.filter((_, i) => !((na === 1 && i === n - 2) || (nb === 1 && i === n - 1))));
}

/** Joins same-shape tensors along a new axis. */
export function stack<T extends TensorLike>(xs: readonly T[], axis: number, F: Functional<T>): T {
  const x0 = xs[0];
  if (x0 === undefined) throw new ShapeError("needs at least one tensor, got none.", { op: "stack" });
  for (const x of xs) {
    if (!shapesEqual(x.shape, x0.shape)) throw new ShapeError(`all tensors must have the same shape, got ${fmt(x0.shape)} and ${fmt(x.shape)}.`, { op: "stack" });
  }
  const ax = normalizeAxis("stack", axis, x0.shape.length + 1);
  const grown = [...x0.shape];
  grown.splice(ax, 0, 1);
  return F.apply(ops.concat, xs.map((x) => F.reshape(x, grown)), { axis: ax });
}

/** Swaps the last two axes (a matrix transpose); below 2-d, a copy of the same numbers. */
export function transpose<T extends TensorLike>(x: T, F: Functional<T>): T {
  return x.shape.length < 2 ? F.apply(ops.reshape, [x], { shape: x.shape }) : F.transposeLast(x);
}

/**
 * −logp of the class a constant one-hot mask picks, reduced. NOTE: selects rather than multiplies, so a
 * masked-out logit of −∞ (log-probability −∞) gives 0 and a zero gradient, not 0·∞ = NaN (as PyTorch's nll_loss).
 */
export function nllOfClassMask<T extends TensorLike>(logp: T, mask: T, classAxis: number, reduction: Reduction, F: Functional<T>): T {
  return reduce("crossEntropy", F.neg(F.sum(F.where(mask, logp, 0), [classAxis], false)), reduction, F);
}
