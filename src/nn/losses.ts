// Loss functions with PyTorch's reductions and conventions (natural log, mean by default).
import { where } from "../autograd/functional.js";
import { applyOp, Tensor } from "../autograd/tensor.js";
import { ops } from "../ops/registry.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import { fmt, shapesEqual } from "../tensor/shape.js";

/** How elementwise losses are combined: mean (PyTorch default), sum, or none. */
export type Reduction = "mean" | "sum" | "none";

function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  const r = reduction ?? "mean";
  if (r === "mean") return loss.mean();
  if (r === "sum") return loss.sum();
  if (r === "none") return loss;
  throw new ValueError(`reduction must be "mean", "sum" or "none", got ${JSON.stringify(r)}.`, { op });
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`input and target must have the same shape, got ${fmt(input.shape)} and ${fmt(target.shape)}.`, { op, shapes: [input.shape, target.shape] });
  }
}

/** Squared error (input − target)², no ½ factor (PyTorch). */
export function mseLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  sameShape("mseLoss", input, target);
  return reduce("mseLoss", input.sub(target).pow(2), o.reduction);
}

/** Absolute error |input − target|. */
export function l1Loss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  sameShape("l1Loss", input, target);
  return reduce("l1Loss", input.sub(target).abs(), o.reduction);
}

/** ½d² where |d| < δ, δ(|d| − ½δ) otherwise (PyTorch's huber_loss; the two agree at |d| = δ). */
export function huberLoss(input: Tensor, target: Tensor, o: { readonly delta?: number; readonly reduction?: Reduction } = {}): Tensor {
  sameShape("huberLoss", input, target);
  const delta = o.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`delta must be positive, got ${delta}.`, { op: "huberLoss" });
  const d = input.sub(target);
  const ad = d.abs();
  return reduce("huberLoss", where(ad.lt(delta), d.mul(d).mul(0.5), ad.sub(0.5 * delta).mul(delta)), o.reduction);
}

/** Binary cross-entropy on probabilities; each log clamped at −100 like PyTorch. */
export function bceLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  return reduce("bceLoss", applyOp(ops.bce, [input, target], null), o.reduction);
}

/** Binary cross-entropy on logits: softplus(x) − x·y, stable for any |x|. */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  sameShape("bceWithLogitsLoss", input, target);
  return reduce("bceWithLogitsLoss", input.softplus(1, Infinity).sub(input.mul(target)), o.reduction);
}

// A constant one-hot mask of class indices along axis 1 (or 0 for unbatched input).
function oneHot(op: string, logp: Tensor, target: Tensor): Tensor {
  const classAxis = logp.ndim >= 2 ? 1 : 0;
  const c = logp.shape[classAxis] as number;
  const expected = logp.shape.filter((_, i) => i !== classAxis);
  if (!shapesEqual(target.shape, expected)) {
    throw new ShapeError(`class-index target must have shape ${fmt(expected)} for input ${fmt(logp.shape)}, got ${fmt(target.shape)}.`, { op, shapes: [logp.shape, target.shape] });
  }
  const inner = logp.shape.slice(classAxis + 1).reduce((a, b) => a * b, 1);
  const mask = new Tensor(logp.data instanceof Float64Array ? new Float64Array(logp.size) : new Float32Array(logp.size), logp.shape);
  for (let i = 0; i < target.size; i++) {
    const k = target.data[i] as number;
    if (!Number.isInteger(k) || k < 0 || k >= c) throw new ValueError(`class indices must be integers in [0, ${c - 1}], got ${k} at flat index ${i}.`, { op });
    const outer = Math.floor(i / inner), rest = i % inner;
    mask.data[(outer * c + k) * inner + rest] = 1;
  }
  return mask;
}

/** Negative log-likelihood of class indices given log-probabilities. */
export function nllLoss(logp: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  if (logp.ndim === 0) throw new ShapeError("input must be at least 1-d (classes), got a 0-d tensor.", { op: "nllLoss" });
  const classAxis = logp.ndim >= 2 ? 1 : 0;
  return reduce("nllLoss", logp.mul(oneHot("nllLoss", logp, target)).sum(classAxis).neg(), o.reduction);
}

/** Softmax cross-entropy from logits; target is class indices or class probabilities. */
export function crossEntropy(logits: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  if (logits.ndim === 0) throw new ShapeError("input must be at least 1-d (classes), got a 0-d tensor.", { op: "crossEntropy" });
  const classAxis = logits.ndim >= 2 ? 1 : 0;
  const logp = logits.logSoftmax(classAxis);
  if (shapesEqual(target.shape, logits.shape)) return reduce("crossEntropy", logp.mul(target).sum(classAxis).neg(), o.reduction);
  return nllLoss(logp, target, o);
}
