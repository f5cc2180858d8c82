// Class visualisation (seed 001 part 2.2, after DeepDream): gradient steps on the input image that
// lower the energy E = −(target logit) + λ‖x‖² + λ_TV·TV(x), i.e. raise the class's logit (or a
// middle layer's channel), with every regulariser the seed names: the input normalisation the
// classifier expects, random jitter, Gaussian blur of the image every n steps and of the gradient
// every step, clamping to [0, 1], weight decay, several scales (octaves: the image is optimised at a
// lower resolution first and upsampled), and clipping of each step; and the total-variation prior of
// the inversion and feature-visualisation literature (Mahendran & Vedaldi 2015, Olah et al. 2017).
import { DEFAULT_DREAM, type DreamOptions } from "./defaults.js";
import { full } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { concat } from "../autograd/tensor-functions.js";
import type { Normalize } from "../data/batches.js";
import type { Module, Sequential } from "../nn/modules.js";
import { gaussianBlur, interpolate } from "../nn/vision.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import { polish } from "./polish.js";
import { smoothTotalVariation, totalVariation } from "./total-variation.js";

export { smoothTotalVariation, totalVariation } from "./total-variation.js";

/** What to maximise: a class's logit, or the summed activation of one channel of a middle layer. */
export type DreamTarget = { readonly kind: "class"; readonly index: number } | { readonly kind: "channel"; readonly layer: number; readonly channel: number };


/** One step's record. */
export interface DreamStep {
  readonly step: number;
  /** "ascent" (the octaves and the extra steps) or "polish" (lowering the total variation at the target probability). */
  readonly phase: "ascent" | "polish";
  readonly octave: number;
  /** The target's softmax probability (class targets) or NaN (channels). */
  readonly probability: number;
  /** The logit, or the channel's sum over positions, being raised (of the image before the step, as the probability). */
  readonly objective: number;
  /** The energy E = −objective + λ‖x‖² + λ_TV·TV_ε(x) (polish steps: −μ·objective + λ‖x‖² + TV_ε(x)). */
  readonly loss: number;
  /** Σ |x(i+1, j) − x(i, j)| + |x(i, j+1) − x(i, j)| of the full-size image after the step. */
  readonly totalVariation: number;
}

/** Defaults that give recognisable images on the shipped classifier without tuning. */

export { DEFAULT_DREAM, type DreamOptions } from "./defaults.js";

/** Plain gradient ascent: every regulariser off (the baseline the regularisers are measured against). */
export const PLAIN_ASCENT: Partial<DreamOptions> = { jitter: 0, blurSigma: 0, gradBlurSigma: 0, clamp: false, weightDecay: 0, tvWeight: 0, octaves: 1, clip: Infinity, untilProbability: 0, polish: 0 };

/** x shifted by (dy, dx) pixels with wrap-around (torch.roll over H and W). */
export function roll(x: Tensor, dy: number, dx: number): Tensor {
  const H = x.shape[2] ?? 0, W = x.shape[3] ?? 0;
  const sy = ((dy % H) + H) % H, sx = ((dx % W) + W) % W;
  const rows = sy === 0 ? x : concat([x.slice(null, null, [H - sy, H], null), x.slice(null, null, [0, H - sy], null)], { axis: 2 });
  return sx === 0 ? rows : concat([rows.slice(null, null, null, [W - sx, W]), rows.slice(null, null, null, [0, W - sx])], { axis: 3 });
}

/** The quantity to raise, from a batch of one normalised image. */
function objective(model: Sequential, x: Tensor, target: DreamTarget): { value: Tensor; logits: Tensor | null } {
  if (target.kind === "class") {
    const logits = model.call(x);
    const k = logits.shape[1] ?? 0;
    if (!(Number.isInteger(target.index) && target.index >= 0 && target.index < k)) throw new ValueError(`class must be an integer from 0 to ${k - 1}, got ${target.index}.`, { op: "dream" });
    return { value: logits.slice(0, target.index), logits };
  }
  const n = model.layers.length;
  if (!(Number.isInteger(target.layer) && target.layer >= 1 && target.layer <= n)) throw new ValueError(`layer must be an integer from 1 to ${n}, got ${target.layer}.`, { op: "dream" });
  const h = model.layers.slice(0, target.layer).reduce((a: Tensor, m: Module) => m.call(a), x);
  const channels = h.shape[1] ?? 0;
  if (!(Number.isInteger(target.channel) && target.channel >= 0 && target.channel < channels)) throw new ValueError(`channel must be an integer from 0 to ${channels - 1} (layer ${target.layer} has ${channels}), got ${target.channel}.`, { op: "dream" });
  // NOTE: the sum over positions (not the mean) keeps the objective's gradient on the scale of a logit's, so the default weight decay and blur balance it alike
  return { value: h.slice(0, target.channel).sum(), logits: null };
}

/**
 * Optimises an image (in [0, 1], shape [1, C, H, W]) to raise `target`; the model is put in eval
 * mode. Returns the full-size image and the per-step history.
 */
export function dream(model: Sequential, input: readonly [number, number, number], norm: Normalize, target: DreamTarget, options: Partial<DreamOptions> = {}): { image: Tensor; history: DreamStep[] } {
  const o: DreamOptions = { ...DEFAULT_DREAM, ...options };
  const [C, H, W] = input;
  for (const [k, v, ok] of [["steps", o.steps, Number.isInteger(o.steps) && o.steps >= 1], ["octaves", o.octaves, Number.isInteger(o.octaves) && o.octaves >= 1], ["lr", o.lr, o.lr > 0], ["octaveScale", o.octaveScale, o.octaveScale >= 1], ["lastOctave", o.lastOctave, o.lastOctave > 0 && o.lastOctave <= 1], ["blurEvery", o.blurEvery, Number.isInteger(o.blurEvery) && o.blurEvery >= 1], ["jitter", o.jitter, Number.isInteger(o.jitter) && o.jitter >= 0], ["tvWeight", o.tvWeight, o.tvWeight >= 0 && Number.isFinite(o.tvWeight)], ["tvEpsilon", o.tvEpsilon, o.tvEpsilon > 0 && Number.isFinite(o.tvEpsilon)], ["polish", o.polish, Number.isInteger(o.polish) && o.polish >= 0], ["polishLr", o.polishLr, o.polishLr > 0 && Number.isFinite(o.polishLr)]] as const) {
    if (!ok) throw new ValueError(`${k} is out of range, got ${v}.`, { op: "dream" });
  }
  model.eval();
  const rng = new Random(o.seed);
  const sizeAt = (oct: number): [number, number] => {
    const f = o.octaveScale ** (o.octaves - 1 - oct) / o.lastOctave;
    return [Math.max(4, Math.round(H / f)), Math.max(4, Math.round(W / f))];
  };
  const [h0, w0] = sizeAt(0);
  let img = noGrad(() => full([1, C, h0, w0], o.init, { dtype: model.parameters()[0]?.dtype ?? "float32" }).add(randnLike([1, C, h0, w0], rng, 0.01, model)));
  const history: DreamStep[] = [];
  // NOTE: the polish phase needs a target probability (class targets with untilProbability > 0)
  const polishing = target.kind === "class" && o.untilProbability > 0 && o.polish > 0;
  // the steps planned so far: the octaves', the polish's, and each extra step as it is taken
  let total = o.steps * o.octaves + (polishing ? o.polish : 0);
  const up = (t: Tensor, s: [number, number]): Tensor => (t.shape[2] === s[0] && t.shape[3] === s[1] ? t : interpolate(t, { size: s, mode: "bilinear" }));
  const stepOnce = (s: number, oct: number): void => {
    const p = img.detach().requireGrad();
    const full = up(p, [H, W]);
    const dy = o.jitter > 0 ? Math.floor(rng.uniform() * (2 * o.jitter + 1)) - o.jitter : 0;
    const dx = o.jitter > 0 ? Math.floor(rng.uniform() * (2 * o.jitter + 1)) - o.jitter : 0;
    const x = roll(full, dy, dx).sub(norm.mean).div(norm.std);
    const { value, logits } = objective(model, x, target);
    const decay = o.weightDecay > 0 ? p.mul(p).sum().mul(o.weightDecay) : null;
    // NOTE: the prior is on the full-size image before the jitter (the image the user sees and the report measures)
    const tv = o.tvWeight > 0 ? smoothTotalVariation(full, o.tvEpsilon).mul(o.tvWeight) : null;
    // E = −objective + λ‖x‖² + λ_TV·TV_ε(x): descending E raises the objective
    let energy = value.neg();
    if (decay !== null) energy = energy.add(decay);
    if (tv !== null) energy = energy.add(tv);
    energy.backward();
    img = noGrad(() => {
      let g = p.grad as Tensor;
      if (o.gradBlurSigma > 0 && 3 * o.gradBlurSigma < Math.min(g.shape[2] ?? 0, g.shape[3] ?? 0) - 1) g = gaussianBlur(g, o.gradBlurSigma);
      if (o.normalizeGradient) g = g.div(g.abs().mean().item() + 1e-12);
      let step = g.mul(o.lr);
      if (Number.isFinite(o.clip)) step = step.clamp(-o.clip, o.clip);
      let next = p.detach().sub(step);
      if (o.clamp) next = next.clamp(0, 1);
      if (o.blurSigma > 0 && (s + 1) % o.blurEvery === 0 && 3 * o.blurSigma < Math.min(next.shape[2] ?? 0, next.shape[3] ?? 0) - 1) next = gaussianBlur(next, o.blurSigma);
      return next;
    });
    const probability = logits === null ? NaN : noGrad(() => logits.softmax(1).data[(target as { index: number }).index] as number);
    const rec: DreamStep = { step: history.length + 1, phase: "ascent", octave: oct + 1, probability, objective: value.item(), loss: energy.item(), totalVariation: totalVariation(noGrad(() => up(img, [H, W]))) };
    history.push(rec);
    o.onStep?.(rec, history.length, total, () => noGrad(() => up(img, [H, W])));
  };
  for (let oct = 0; oct < o.octaves; oct++) {
    if (oct > 0) img = noGrad(() => up(img, sizeAt(oct)));
    for (let s = 0; s < o.steps; s++) stepOnce(s, oct);
  }
  // NOTE: a class target keeps stepping (up to extraSteps) until the final image reaches untilProbability.
  if (target.kind === "class" && o.untilProbability > 0) {
    const reached = (): boolean => (classify(model, up(img, [H, W]), norm)[target.index] ?? 0) >= o.untilProbability;
    for (let e = 0; e < o.extraSteps && !reached(); e++) {
      total++;
      stepOnce(o.steps + e, o.octaves - 1);
    }
  }
  if (polishing) {
    const image = polish(model, noGrad(() => up(img, [H, W])), norm, target.index, { steps: o.polish, lr: o.polishLr, target: o.untilProbability, weightDecay: o.weightDecay, tvEpsilon: o.tvEpsilon, clamp: o.clamp }, (s) => {
      const rec: DreamStep = { step: history.length + 1, phase: "polish", octave: o.octaves, probability: s.probability, objective: s.logit, loss: s.loss, totalVariation: totalVariation(s.image) };
      history.push(rec);
      o.onStep?.(rec, history.length, total, () => s.image);
    });
    return { image, history };
  }
  return { image: noGrad(() => up(img, [H, W])), history };
}

function randnLike(shape: readonly number[], rng: Random, scale: number, model: Sequential): Tensor {
  const t = full(shape, 0, { dtype: model.parameters()[0]?.dtype ?? "float32" });
  const v = Array.from({ length: t.size }, () => rng.normal() * scale);
  return t.set(v);
}

/** Softmax probabilities of the classes for an image in [0, 1] (eval mode, no graph). */
export function classify(model: Sequential, image: Tensor, norm: Normalize): number[] {
  model.eval();
  return noGrad(() => Array.from(model.call(image.sub(norm.mean).div(norm.std)).softmax(1).data));
}
