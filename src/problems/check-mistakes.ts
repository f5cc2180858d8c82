// The checker's catalogue of common mistakes. Each is a deliberate variant of the problem: another
// convention (recompiled), or a wrong derivative — a replacement for one op's backward rule, owned
// here, never threaded through the core. The solver runs a variant exactly as it runs the problem.
import type { Functional, TensorLike } from "../ops/types.js";
import type { Rule, RuleOverrides } from "../symbolic/sym.js";
import type { Compiled } from "./compile.js";
import type { Problem } from "./schema.js";

/** A variant of the problem that reproduces a common mistake or a different convention. */
export interface Mistake {
  readonly cause: string;
  /** The problem under another convention (null: the same problem). */
  readonly problem: Problem | null;
  /** Wrong backward rules, by op name. */
  readonly overrides?: RuleOverrides;
  /** The update adds the step instead of subtracting it (gradient ascent). */
  readonly ascend?: boolean;
}

type Unary = <T extends TensorLike>(g: T, x: T, y: T, F: Functional<T>) => T;

/** A replacement rule for a unary op, from its input x and output y. */
function unaryRule(f: Unary): Rule {
  return (g, { inputs, output }, F) => {
    const x = inputs[0];
    return x === undefined ? [null] : [f(g, x, output, F)];
  };
}

const rules = (op: string, f: Unary): RuleOverrides => new Map([[op, unaryRule(f)]]);

/** Wrong derivatives of activations that students write. */
const WRONG_DERIVATIVES: readonly Mistake[] = [
  { cause: "tanh′ written as 1 − tanh(s²) instead of 1 − tanh²(s)", problem: null, overrides: rules("tanh", (g, x, _y, F) => F.mul(g, F.sub(1, F.tanh(F.powScalar(x, 2))))) },
  { cause: "tanh′ written as 1 − s² of the pre-activation s instead of 1 − tanh²(s)", problem: null, overrides: rules("tanh", (g, x, _y, F) => F.mul(g, F.sub(1, F.powScalar(x, 2)))) },
  { cause: "tanh′ forgotten: the gradient passed through tanh unchanged", problem: null, overrides: rules("tanh", (g) => g) },
  { cause: "σ′ written from the wrong variable: s(1 − s) of the pre-activation instead of σ(s)(1 − σ(s))", problem: null, overrides: rules("sigmoid", (g, x, _y, F) => F.mul(F.mul(g, x), F.sub(1, x))) },
  { cause: "σ′ written from the wrong variable: σ(ŷ)(1 − σ(ŷ)) of the output instead of ŷ(1 − ŷ)", problem: null, overrides: rules("sigmoid", (g, _x, y, F) => F.mul(F.mul(g, F.sigmoid(y)), F.sub(1, F.sigmoid(y)))) },
  { cause: "σ′ forgotten: the gradient passed through σ unchanged", problem: null, overrides: rules("sigmoid", (g) => g) },
  { cause: "ReLU′ forgotten: the gradient passed through ReLU unchanged, also where s ≤ 0", problem: null, overrides: rules("relu", (g) => g) },
];

/** Every mistake worth trying on this problem. */
export function mistakes(c: Compiled): Mistake[] {
  const p = c.problem;
  const l = p.loss;
  const out: Mistake[] = [];
  const withLoss = (change: Partial<Problem["loss"]>): Problem => ({ ...p, loss: { ...l, ...change } });
  if (l.kind === "mse") {
    out.push({
      cause: l.half
        ? "missing ½: the problem's squared error is ½(ŷ − y)², whose derivative is (ŷ − y); this answer uses (ŷ − y)² and its derivative 2(ŷ − y) (convention: half)"
        : "an extra ½: the problem's squared error is (ŷ − y)² with derivative 2(ŷ − y); this answer uses ½(ŷ − y)² (convention: half)",
      problem: withLoss({ half: !l.half }),
    });
  }
  if (["mse", "l1", "huber", "bce", "bce-with-logits"].includes(l.kind)) {
    out.push({ cause: `${l.reduction === "mean" ? "sum instead of mean" : "mean instead of sum"} over the outputs: the loss's 1/n ${l.reduction === "mean" ? "forgotten" : "added"} (convention: reduction)`, problem: withLoss({ reduction: l.reduction === "mean" ? "sum" : "mean" }) });
  }
  const mode = p.training.mode;
  if (mode === "batch-mean" || mode === "batch-sum") {
    out.push({ cause: `${mode === "batch-mean" ? "sum instead of mean" : "mean instead of sum"} over the samples: the 1/N ${mode === "batch-mean" ? "forgotten" : "added"} (convention: training.mode)`, problem: { ...p, training: { ...p.training, mode: mode === "batch-mean" ? "batch-sum" : "batch-mean" } } });
  }
  const o = p.optimizer;
  if (o !== undefined) {
    out.push({ cause: "+ instead of − in the update: w + η·∂L/∂w climbs the loss (gradient ascent)", problem: null, ascend: true });
  }
  out.push(...WRONG_DERIVATIVES);
  return out;
}
