// Loss functions with PyTorch's reductions and conventions (natural log, mean by default).
import { backend } from "../backend/backend.js";
import { F, Tensor } from "../autograd/tensor.js";
import * as C from "../ops/composites.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import { fmt, shapesEqual } from "../tensor/shape.js";

/** How elementwise losses are combined: mean (PyTorch default), sum, or none. */
export type Reduction = C.Reduction;

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`input and target must have the same shape, got ${fmt(input.shape)} and ${fmt(target.shape)}.`, { op, shapes: [input.shape, target.shape] });
  }
}

/** Squared error (input − target)², no ½ factor unless `half` (PyTorch has none). */
export function mseLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction; readonly half?: boolean } = {}): Tensor {
  sameShape("mseLoss", input, target);
  return C.mse(input, target, o.reduction ?? "mean", o.half ?? false, F);
}

/** Absolute error |input − target|. */
export function l1Loss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  sameShape("l1Loss", input, target);
  return C.l1(input, target, o.reduction ?? "mean", F);
}

/** ½d² where |d| < δ, δ(|d| − ½δ) otherwise (PyTorch's huber_loss; the two agree at |d| = δ). */
export function huberLoss(input: Tensor, target: Tensor, o: { readonly delta?: number; readonly reduction?: Reduction } = {}): Tensor {
  sameShape("huberLoss", input, target);
  const delta = o.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`delta must be positive, got ${delta}.`, { op: "huberLoss" });
  return C.huber(input, target, delta, o.reduction ?? "mean", F);
}

/** Binary cross-entropy on probabilities; each log clamped at −100 like PyTorch. */
export function bceLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  return C.bce(input, target, o.reduction ?? "mean", F);
}

/** Binary cross-entropy on logits: softplus(x) − x·y, stable for any |x|. */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  sameShape("bceWithLogitsLoss", input, target);
  return C.bceWithLogits(input, target, o.reduction ?? "mean", F);
}

/** A constant one-hot mask of class indices along axis 1 (or 0 for unbatched input). */
export function oneHot(op: string, logp: Tensor, target: Tensor): Tensor {
  const classAxis = logp.ndim >= 2 ? 1 : 0;
  const c = logp.shape[classAxis] as number;
  const expected = logp.shape.filter((_, i) => i !== classAxis);
  if (!shapesEqual(target.shape, expected)) {
    throw new ShapeError(`class-index target must have shape ${fmt(expected)} for input ${fmt(logp.shape)}, got ${fmt(target.shape)}.`, { op, shapes: [logp.shape, target.shape] });
  }
  const inner = logp.shape.slice(classAxis + 1).reduce((a, b) => a * b, 1);
  const mask = backend().alloc(logp.dtype, logp.size);
  backend().mutate(mask, (m) => {
    for (let i = 0; i < target.size; i++) {
      const k = target.data[i] as number;
      if (!Number.isInteger(k) || k < 0 || k >= c) throw new ValueError(`class indices must be integers in [0, ${c - 1}], got ${k} at flat index ${i}.`, { op });
      const outer = Math.floor(i / inner), rest = i % inner;
      m[(outer * c + k) * inner + rest] = 1;
    }
  });
  return new Tensor(mask, logp.shape);
}

/** Negative log-likelihood of class indices given log-probabilities. */
export function nllLoss(logp: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  if (logp.ndim === 0) throw new ShapeError("input must be at least 1-d (classes), got a 0-d tensor.", { op: "nllLoss" });
  const classAxis = logp.ndim >= 2 ? 1 : 0;
  return C.nllOfClassMask(logp, oneHot("nllLoss", logp, target), classAxis, o.reduction ?? "mean", F);
}

/** Softmax cross-entropy from logits; target is class indices or class probabilities. */
export function crossEntropy(logits: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  if (logits.ndim === 0) throw new ShapeError("input must be at least 1-d (classes), got a 0-d tensor.", { op: "crossEntropy" });
  const classAxis = logits.ndim >= 2 ? 1 : 0;
  const logp = logits.logSoftmax(classAxis);
  if (shapesEqual(target.shape, logits.shape)) return C.nllOfProbabilities(logp, target, classAxis, o.reduction ?? "mean", F);
  return nllLoss(logp, target, o);
}
