// dream's last phase for a class target: lower the image's total variation while the class keeps its
// probability, i.e. the constrained problem min TV(x) subject to p(x) ≥ target (x in [0, 1]), by a
// penalty method: gradient steps on E = −μ·logit + λ‖x‖² + TV_ε(x) with μ adapted every step (raised
// while p is below the target plus a margin, lowered above it; a Lagrange multiplier's update). The ascent phases stop as soon as p
// reaches the target, so their image is wherever the ascent's path left it; this phase moves it along
// the target's level set towards a smoother image.
import type { Tensor } from "../autograd/tensor.js";
import { noGrad } from "../autograd/mode.js";
import type { Normalize } from "../data/batches.js";
import type { Sequential } from "../nn/modules.js";
import { smoothTotalVariation, totalVariation } from "./total-variation.js";

/** What a polish step reports (the caller turns it into its history record). */
export interface PolishStep {
  /** The class's probability and logit of the image before the step. */
  readonly probability: number;
  readonly logit: number;
  /** The energy −μ·logit + λ‖x‖² + TV_ε(x) before the step (with the step's μ). */
  readonly loss: number;
  /** The image after the step (full size). */
  readonly image: Tensor;
}

/** The knobs of the polish phase (dream's options give them). */
export interface PolishOptions {
  readonly steps: number;
  /** First step (pixels per mean absolute gradient); it falls geometrically to lr/20 by the last step. */
  readonly lr: number;
  readonly target: number;
  readonly weightDecay: number;
  readonly tvEpsilon: number;
  readonly clamp: boolean;
}

// NOTE: chosen on the shipped classifier with scripts/dream-report.mjs and checked on an untrained model
// (test/dream/polish.test.ts): μ starts where the two parts' gradients have the same mean absolute value
// (a fixed μ = 1 took a hundred steps or more to adapt on the untrained model) and changes by 5% a step;
// the margin keeps p a little above the target, so that most steps' images qualify; the falling step
// (from lr to lr/20) lets the last steps settle instead of crossing the level set back and forth.
const MU_RATE = 0.05, MARGIN = 0.002, LR_FALL = 20;

/**
 * Runs the polish steps from `start` (full size, [1, C, H, W]) for class `k`; returns the image of
 * lowest total variation among those reaching the target probability (if none does, the one of highest
 * probability, `start` included).
 */
export function polish(model: Sequential, start: Tensor, norm: Normalize, k: number, o: PolishOptions, onStep: (s: PolishStep) => void): Tensor {
  let x = start.detach(), mu = 1; // μ is set at the first step
  let best: Tensor | null = null, bestTv = Infinity, likeliest = x, topP = -Infinity;
  const consider = (img: Tensor, p: number): void => {
    if (p >= o.target) {
      const tv = totalVariation(img);
      if (tv < bestTv) { best = img; bestTv = tv; }
    }
    if (p > topP) { likeliest = img; topP = p; }
  };
  for (let s = 0; s < o.steps; s++) {
    // two leaves of the same image, so that the logit's gradient and the rest's are kept apart
    const p = x.detach().requireGrad(), q = x.detach().requireGrad();
    const logits = model.call(p.sub(norm.mean).div(norm.std));
    const logit = logits.slice(0, k);
    let rest = smoothTotalVariation(q, o.tvEpsilon);
    if (o.weightDecay > 0) rest = rest.add(q.mul(q).sum().mul(o.weightDecay));
    logit.backward();
    rest.backward();
    const gLogit = p.grad as Tensor, gRest = q.grad as Tensor;
    if (s === 0) {
      mu = noGrad(() => gRest.abs().mean().item() / gLogit.abs().mean().item());
      if (!(mu > 0 && Number.isFinite(mu))) mu = 1; // a flat image or a logit without gradient
    }
    const probability = noGrad(() => logits.softmax(1).data[k] as number);
    const loss = rest.item() - mu * logit.item();
    consider(q.detach(), probability);
    const lr = o.lr * LR_FALL ** (-s / Math.max(1, o.steps - 1));
    x = noGrad(() => {
      // ∂E/∂x = ∂(TV_ε + λ‖x‖²)/∂x − μ·∂logit/∂x
      const g = gRest.sub(gLogit.mul(mu));
      const next = q.detach().sub(g.mul(lr / (g.abs().mean().item() + 1e-12)));
      return o.clamp ? next.clamp(0, 1) : next;
    });
    mu *= probability < o.target + MARGIN ? 1 + MU_RATE : 1 - MU_RATE;
    onStep({ probability, logit: logit.item(), loss, image: x });
  }
  consider(x, noGrad(() => model.call(x.sub(norm.mean).div(norm.std)).softmax(1).data[k] as number));
  return best ?? likeliest;
}
