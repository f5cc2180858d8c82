// The loss an update rule minimises (seed 001 1.3): from `w += eta*E*x` and `yhat = f(z)`, z = b + wᵀx,
// gradient descent w ← w − η·∂C/∂w gives ∂C/∂w = −E·x, so ∂C/∂z = −E with ŷ = f(z), integrated over
// z with a table of antiderivatives. Every result is differentiated back by autograd at random points
// (on both sides of a kink) and compared with the update before it is returned.
import { tensor } from "../autograd/creation.js";
import { gradients } from "../autograd/grad.js";
import { Tensor } from "../autograd/tensor.js";
import type { Expr } from "../expr/ast.js";
import { evaluate } from "../expr/evaluate.js";
import { parseExpression, parseProgram } from "../expr/parser.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";

/** An activation with its antiderivative: text, LaTeX, the expression language, and f itself. */
interface Antiderivative {
  readonly f: (z: number) => number;
  readonly text: string;
  readonly latex: string;
  /** F(z) in the expression language (for the check by autograd). */
  readonly expr: string;
  /** Where the derivative is undefined (checked on both sides, never at it). */
  readonly kinks: readonly number[];
  /** What the loss is, in familiar terms. */
  readonly reading: string;
}

const TABLE: Readonly<Record<string, Antiderivative>> = {
  identity: { f: (z) => z, text: "z²/2", latex: "\\frac{z^2}{2}", expr: "0.5 * z^2", kinks: [], reading: "z²/2 − y·z = ½(y − z)² − ½y²: up to a constant, C = ½(y − ŷ)², the squared error (Adaline / least mean squares)" },
  sign: { f: (z) => Math.sign(z), text: "|z|", latex: "|z|", expr: "abs(z)", kinks: [0], reading: "for y ∈ {−1, 1}, |z| − y·z = 2·max(0, −y·z): twice the perceptron criterion, zero when sign(z) = y" },
  tanh: { f: Math.tanh, text: "ln cosh z", latex: "\\ln\\cosh z", expr: "softplus(2 * z) - z - log(2)", kinks: [], reading: "ln cosh z − y·z, which for y ∈ {−1, 1} is the logistic loss ln(1 + e^(−2yz)) up to a constant" },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), text: "ln(1 + eᶻ)", latex: "\\ln\\left(1 + e^{z}\\right)", expr: "softplus(z)", kinks: [], reading: "for y ∈ {0, 1}, ln(1 + eᶻ) − y·z is the binary cross-entropy of σ(z) (logistic regression on the logit)" },
};

/** A derived loss with the steps that lead to it. */
export interface DerivedLoss {
  readonly activation: string;
  readonly steps: readonly string[];
  /** C(z) as text and LaTeX, z = the pre-activation. */
  readonly loss: { readonly text: string; readonly latex: string; readonly expr: string };
  readonly checkedAt: readonly number[];
}

function factors(e: Expr): Expr[] {
  return e.kind === "binary" && e.op === "*" ? [...factors(e.left), ...factors(e.right)] : [e];
}

/** The increment of `w` in "w += …", "w = w + …" or "w ← w + …". */
function increment(update: string): { param: string; delta: Expr } {
  const m = /^\s*([A-Za-z_]\w*)\s*(\+=|=|←|<-)\s*(.+)$/.exec(update);
  if (m === null) throw new ValueError(`expected an update like "w += eta*(y - yhat)*x", got ${JSON.stringify(update)}.`, { op: "--from-update" });
  const param = m[1] as string;
  let rhs = parseExpression(m[3] as string, "--from-update");
  if (m[2] !== "+=") {
    if (!(rhs.kind === "binary" && rhs.op === "+" && rhs.left.kind === "var" && rhs.left.name === param)) throw new ValueError(`expected "${param} = ${param} + …", got ${JSON.stringify(update)}.`, { op: "--from-update" });
    rhs = rhs.right;
  }
  return { param, delta: rhs };
}

/** The activation f and the input x multiplying w in "yhat = f(b + w'@x)" (or w*x, w@x). */
function model(source: string, param: string): { out: string; activation: string; input: string } {
  const [s] = parseProgram(source);
  if (s === undefined) throw new ValueError("the model is empty: write e.g. \"yhat = tanh(b + w'@x)\".", { op: "--model" });
  const call = s.expr.kind === "call" && s.expr.args.length === 1 ? s.expr : null;
  const activation = call === null ? "identity" : call.fn;
  if (TABLE[activation] === undefined) throw new ValueError(`no antiderivative for ${activation}: known are ${Object.keys(TABLE).join(", ")}.`, { op: "--model" });
  const z = call?.args[0] ?? s.expr;
  let input: string | null = null;
  const visit = (e: Expr): void => {
    if (e.kind === "binary" && (e.op === "*" || e.op === "@")) {
      const l = e.left.kind === "transpose" ? e.left.arg : e.left;
      if (l.kind === "var" && l.name === param && e.right.kind === "var") input = e.right.name;
      if (e.right.kind === "var" && e.right.name === param && l.kind === "var") input = l.name;
    }
    if (e.kind === "binary") { visit(e.left); visit(e.right); }
  };
  visit(z);
  if (input === null) throw new ValueError(`the model must contain ${param}'@x, ${param}@x or ${param}*x.`, { op: "--model" });
  return { out: s.name, activation, input };
}

/** Derives the loss that `update` descends for the model. */
export function lossFromUpdate(update: string, modelSource: string): DerivedLoss {
  const { param, delta } = increment(update);
  const { out, activation, input } = model(modelSource, param);
  const A = TABLE[activation] as Antiderivative;
  // E: the increment without the learning rate and the input
  const rest = factors(delta).filter((f) => !(f.kind === "var" && (f.name === input || ["eta", "lr", "alpha", "η"].includes(f.name))));
  if (rest.length === factors(delta).length - 1) throw new ValueError(`the update must multiply by the learning rate (eta) and the input ${input}.`, { op: "--from-update" });
  const E = (y: number, yhat: number): number => {
    const env = new Map([["y", tensor(y)], [out, tensor(yhat)]]);
    return rest.reduce((acc, f) => acc * (evaluate(f, env, update).item()), 1);
  };
  // E must be linear: α·y − β·ŷ
  const alpha = E(1, 0), beta = -E(0, 1);
  const rng = new Random(7);
  for (let k = 0; k < 5; k++) {
    const y = rng.normal(), yh = rng.normal();
    if (Math.abs(E(y, yh) - (alpha * y - beta * yh)) > 1e-9 * (1 + Math.abs(E(y, yh)))) throw new ValueError("the update's error term must be linear in y and ŷ, like (y - yhat).", { op: "--from-update" });
  }
  const num = (c: number): string => (c === 1 ? "" : c === -1 ? "−" : `${c}·`);
  const lossText = `${num(beta)}${A.text} − ${num(alpha)}y·z`.replace("− −", "+ ");
  const steps = [
    `update: ${param} ← ${param} + η·E·${input}, with E = ${alpha === beta ? `${num(alpha)}(y − ŷ)` : `${alpha}·y − ${beta}·ŷ`}`,
    `gradient descent: ${param} ← ${param} − η·∂C/∂${param}, so ∂C/∂${param} = −E·${input}`,
    `chain rule along z = b + ${param}ᵀ${input}: ∂C/∂${param} = ∂C/∂z · ${input}, so ∂C/∂z = −E = ${num(beta)}ŷ − ${num(alpha)}y with ŷ = ${activation === "identity" ? "z" : `${activation}(z)`}`,
    `integrate over z: ∫ ${activation === "identity" ? "z" : `${activation}(z)`} dz = ${A.text}, ∫ y dz = y·z`,
    `C(z) = ${lossText} + const`,
    ...(alpha === 1 && beta === 1 ? [`reading: ${A.reading}`] : []),
  ];
  const expr = `${beta} * (${A.expr}) - ${alpha} * y * z`;
  const checkedAt = verify(expr, A, alpha, beta);
  return { activation, steps, loss: { text: lossText, latex: `${beta === 1 ? "" : `${beta}`}${A.latex} - ${alpha === 1 ? "" : `${alpha}`} y z`, expr }, checkedAt };
}

// ∂C/∂z by autograd equals −E(y, f(z)) at random points, on both sides of every kink.
function verify(expr: string, A: Antiderivative, alpha: number, beta: number): number[] {
  const rng = new Random(20261128);
  const zs = [...A.kinks.flatMap((k) => [k - 0.3, k + 0.3, k - 1e-3, k + 1e-3]), ...Array.from({ length: 20 }, () => rng.normal() * 2)];
  const parsed = parseExpression(expr, "loss");
  for (const z0 of zs) {
    for (const y0 of [-1, 0, 1, rng.normal()]) {
      const z = new Tensor(Float64Array.from([z0]), [], true);
      const c = evaluate(parsed, new Map([["z", z], ["y", tensor(y0)]]), expr);
      const [g] = gradients(c, [z]);
      const want = beta * A.f(z0) - alpha * y0;
      if (!(Math.abs((g as Tensor).item() - want) <= 1e-9 * Math.max(1, Math.abs(want)))) {
        throw new ValueError(`internal check failed: ∂C/∂z = ${(g as Tensor).item()} at z = ${z0}, y = ${y0}, but the update implies ${want}.`, { op: "derive" });
      }
    }
  }
  return zs;
}

/** Judges a proposed loss for the update: right (up to a constant), the wrong sign, or wrong. */
export function judgeLoss(candidate: string, update: string, modelSource: string): { ok: boolean; cause: string } {
  const { param } = increment(update);
  const { out, activation } = model(modelSource, param);
  const derived = lossFromUpdate(update, modelSource);
  const A = TABLE[activation] as Antiderivative;
  let f;
  try {
    f = parseExpression(candidate.replace(/^\s*[A-Za-z_]\w*\s*=(?!=)/, ""), "--check");
  } catch (e) {
    return { ok: false, cause: `the formula does not parse: ${e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e)}` };
  }
  try {
    return judgeAt(f, derived, A, activation, out, candidate);
  } catch (e) {
    return { ok: false, cause: `the formula cannot be evaluated along z: ${e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e)}` };
  }
}

function judgeAt(f: Expr, derived: DerivedLoss, A: Antiderivative, activation: string, out: string, candidate: string): { ok: boolean; cause: string } {
  const rng = new Random(99);
  let same = true, negated = true;
  for (let k = 0; k < 24; k++) {
    const z0 = rng.normal() * 2 + (A.kinks.length > 0 && k % 2 === 0 ? 0.05 : 0), y0 = [-1, 0, 1, rng.normal()][k % 4] as number;
    const z = new Tensor(Float64Array.from([z0]), [], true);
    const fz = activation === "identity" ? "z" : `${activation}(z)`;
    const yhat = evaluate(parseExpression(fz, "model"), new Map([["z", z]]), fz); // ŷ = f(z), differentiable
    const c = evaluate(f, new Map([["z", z], ["y", tensor(y0)], [out, yhat], ["yhat", yhat]]), candidate);
    const g = c.requiresGrad ? (gradients(c, [z])[0] as Tensor).item() : 0;
    const zt = new Tensor(Float64Array.from([z0]), [], true);
    const want = (gradients(evaluate(parseExpression(derived.loss.expr, "loss"), new Map([["z", zt], ["y", tensor(y0)]]), derived.loss.expr), [zt])[0] as Tensor).item();
    const tol = 1e-7 * Math.max(1, Math.abs(want));
    if (Math.abs(g - want) > tol) same = false;
    if (Math.abs(g + want) > tol) negated = false;
  }
  if (same) return { ok: true, cause: `right: its gradient along z matches the update (C = ${derived.loss.text} + const)` };
  if (negated) return { ok: false, cause: `wrong sign: this C grows along the update (gradient ascent); the update descends C = ${derived.loss.text} + const` };
  return { ok: false, cause: `not the loss of this update: its ∂C/∂z differs from ŷ − y (ŷ = ${activation}(z)); the update descends C = ${derived.loss.text} + const (write the loss in z and y, with z = the pre-activation)` };
}
