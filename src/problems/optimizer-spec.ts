// The problem's optimizer as a structured spec: built from the schema, it makes the optimizer and
// describes its update rule; formatters read the spec's fields, never its prose.
import type { Tensor } from "../autograd/tensor.js";
import { Adagrad, Adam, AdamW, type Optimizer, RMSprop, SGD } from "../optim/optimizer.js";
import type { OptimizerSpec } from "../solution/solution.js";
import type { Problem } from "./schema.js";

/** The spec of a problem's optimizer (null without one). */
export function optimizerSpec(p: Problem): OptimizerSpec | null {
  const o = p.optimizer;
  if (o === undefined) return null;
  switch (o.kind) {
    case "sgd": {
      const parts = [o.momentum > 0 ? `momentum μ = ${o.momentum}${o.nesterov ? " (Nesterov)" : ""}` : "", o.weightDecay > 0 ? `weight decay λ = ${o.weightDecay}` : ""].filter((s) => s !== "");
      return { kind: "sgd", lr: o.lr, plainGradientStep: parts.length === 0, rule: `SGD, learning rate η = ${o.lr}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}: w ← w − η·∂L/∂w` };
    }
    case "adam": return { kind: "adam", lr: o.lr, plainGradientStep: false, rule: `Adam, η = ${o.lr}, β = (${o.betas.join(", ")}), ε = ${o.eps}: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η·m̂/(√v̂ + ε)` };
    case "adamw": return { kind: "adamw", lr: o.lr, plainGradientStep: false, rule: `AdamW, η = ${o.lr}, β = (${o.betas.join(", ")}), ε = ${o.eps}, decoupled weight decay λ = ${o.weightDecay}` };
    case "rmsprop": return { kind: "rmsprop", lr: o.lr, plainGradientStep: false, rule: `RMSprop, η = ${o.lr}, α = ${o.alpha}, ε = ${o.eps}: a ← αa + (1 − α)g², w ← w − η·g/(√a + ε)` };
    case "adagrad": return { kind: "adagrad", lr: o.lr, plainGradientStep: false, rule: `Adagrad, η = ${o.lr}: s ← s + g², w ← w − η·g/(√s + ε)` };
  }
}

/** The optimizer of a problem over its parameters (null without one). */
export function makeOptimizer(p: Problem, params: Tensor[]): Optimizer | null {
  const o = p.optimizer;
  if (o === undefined) return null;
  switch (o.kind) {
    case "sgd": return new SGD(params, { lr: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.weightDecay });
    case "adam": return new Adam(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay });
    case "adamw": return new AdamW(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay });
    case "rmsprop": return new RMSprop(params, { lr: o.lr, alpha: o.alpha, eps: o.eps, momentum: o.momentum, weightDecay: o.weightDecay });
    case "adagrad": return new Adagrad(params, { lr: o.lr, eps: o.eps, weightDecay: o.weightDecay });
  }
}
