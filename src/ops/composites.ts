// Composite functions, defined once over any Functional: autograd modules (nn/) run them on
// Tensors with recording, explicit layers (layers/) run them on raw tensors with a local tape.
import { ValueError } from "../tensor/errors.js";
import type { Functional, TensorLike } from "./types.js";

/** Reduction of elementwise losses. */
export type Reduction = "mean" | "sum" | "none";

const size = (t: TensorLike): number => t.shape.reduce((a, b) => a * b, 1);

/** mean over every element. */
export function meanAll<T extends TensorLike>(x: T, F: Functional<T>): T {
  return F.div(F.sum(x, x.shape.map((_, i) => i), false), Math.max(size(x), 1));
}

/** Applies a reduction. */
export function reduce<T extends TensorLike>(op: string, loss: T, reduction: Reduction, F: Functional<T>): T {
  if (reduction === "mean") return meanAll(loss, F);
  if (reduction === "sum") return F.sum(loss, loss.shape.map((_, i) => i), false);
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
  const d = F.sub(input, target);
  const sq = F.mul(d, d);
  return reduce("mseLoss", half ? F.mul(sq, 0.5) : sq, reduction, F);
}

/** |input − target|, reduced. */
export const l1 = <T extends TensorLike>(input: T, target: T, reduction: Reduction, F: Functional<T>): T => reduce("l1Loss", F.abs(F.sub(input, target)), reduction, F);

/** ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, reduced. */
export function huber<T extends TensorLike>(input: T, target: T, delta: number, reduction: Reduction, F: Functional<T>): T {
  const d = F.sub(input, target);
  const ad = F.abs(d);
  return reduce("huberLoss", F.where(F.lt(ad, delta), F.mul(F.mul(d, d), 0.5), F.mul(F.sub(ad, 0.5 * delta), delta)), reduction, F);
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

/**
 * −logp of the class a constant one-hot mask picks, reduced. NOTE: selects rather than multiplies, so a
 * masked-out logit of −∞ (log-probability −∞) gives 0 and a zero gradient, not 0·∞ = NaN (as PyTorch's nll_loss).
 */
export function nllOfClassMask<T extends TensorLike>(logp: T, mask: T, classAxis: number, reduction: Reduction, F: Functional<T>): T {
  return reduce("crossEntropy", F.neg(F.sum(F.where(mask, logp, 0), [classAxis], false)), reduction, F);
}
