// A one-paragraph diagnosis of a training run, computed from what the run recorded: how far the
// loss fell, whether a sigmoid output saturated (σ′ = ŷ(1 − ŷ) ≈ 0 starves every gradient behind
// it) and whether the loss cancelled that factor, and how large the steps were. Every number and
// every verdict in it comes from the run, so its sentences cannot contradict each other.
import { type Statement, squares } from "../expr/ast.js";
import type { Solution } from "./solution.js";

const fmt = (x: number): string => (x === 0 ? "0" : Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? Number(x.toPrecision(3)).toString() : x.toExponential(2));

/** σ′ below this counts as saturated; a gradient below this as starved. */
const SMALL = 0.01;

function sigmoidArgument(program: readonly Statement[], output: string): string | null {
  const s = program.find((p) => p.name === output);
  return s !== undefined && s.expr.kind === "call" && s.expr.fn === "sigmoid" && s.expr.args[0]?.kind === "var" ? s.expr.args[0].name : null;
}

type Verdict = "rose" | "flat" | "fell" | "converged";

function verdictOf(drop: number): Verdict {
  return drop < 0 ? "rose" : drop < 0.1 ? "flat" : drop > 0.9 ? "converged" : "fell";
}

const VERDICT_TEXT: Record<Verdict, string> = { rose: ": the loss rose", flat: ": the learning curve is essentially flat", fell: "", converged: ": training converged well" };

/** The sentences about a sigmoid output: saturation, what reaches its argument, and why. */
function sigmoidSentences(sol: Solution, verdict: Verdict): string[] {
  const n = sol.lossHistory.length;
  const z = sigmoidArgument(sol.program, sol.output);
  const y0 = sol.outputHistory[0]?.[0], yn = sol.outputHistory[n - 1]?.[0];
  if (z === null || y0 === undefined || yn === undefined) return [];
  const y = sol.output, L = sol.lossName;
  const s0 = y0 * (1 - y0), sn = yn * (1 - yn);
  const g = sol.gradNormHistory.get(z) ?? [];
  const g0 = g[0] ?? 0, gn = g[n - 1] ?? 0;
  const gy0 = sol.outputGradHistory[0] ?? 0;
  const saturated = s0 < SMALL;
  const starved = saturated && g0 < SMALL;
  const effect = !saturated ? "" : starved
    ? `: the sigmoid is saturated, and ∂${L}/∂${z} = ∂${L}/∂${y}·σ′(${z}) carries this factor`
    : `: the sigmoid is saturated, but |∂${L}/∂${y}| = ${fmt(gy0)} is large enough to cancel it, so the gradient reaching ${z} stays large`;
  const out = [
    `The prediction starts at ${y} = ${fmt(y0)}, where σ′(${z}) = ${y}(1 − ${y}) = ${fmt(s0)}${effect}; at the end ${y} = ${fmt(yn)} and σ′ = ${fmt(sn)}.`,
    `The gradient reaching the pre-activation, |∂${L}/∂${z}|, is ${fmt(g0)} at the first step and ${fmt(gn)} at the last.`,
  ];
  if (!starved) return out;
  const loss = sol.program.at(-1);
  const squared = loss !== undefined && squares(loss.expr);
  if (verdict === "flat") {
    out.push(`The vanishing σ′ factor is why the curve stays flat${squared ? `: squared error keeps it (∂${L}/∂${z} = (${y} − y)·σ′(${z}) up to a constant), while cross-entropy cancels it (∂${L}/∂${z} = ${y} − y)` : ""}.`);
  } else if (verdict === "converged" || verdict === "fell") {
    out.push(`The loss fell all the same: the updates were large enough to carry the prediction across the flat region, from ${y} = ${fmt(y0)} to ${fmt(yn)}.`);
  }
  return out;
}

/** The diagnosis paragraph, or undefined for runs too short to judge (fewer than 10 iterations). */
export function diagnose(sol: Solution): string | undefined {
  const n = sol.lossHistory.length;
  if (!sol.trained || n < 10) return undefined;
  const L0 = sol.lossHistory[0] as number, Ln = sol.lossHistory[n - 1] as number;
  const drop = L0 === 0 ? 0 : (L0 - Ln) / Math.abs(L0);
  const verdict = verdictOf(drop);
  const parts = [`Over ${n} iterations the loss went from ${fmt(L0)} to ${fmt(Ln)} (${drop >= 0 ? "down" : "up"} ${fmt(Math.abs(drop) * 100)}%)${VERDICT_TEXT[verdict]}.`];
  parts.push(...sigmoidSentences(sol, verdict));
  if (sol.optimizer !== null) {
    const steps = sol.iterations.flatMap((it) => it.updates.map((u) => Math.max(...Array.from(u.after.data).map((a, i) => Math.abs(a - (u.before.data[i] as number))))));
    const first = steps.slice(0, sol.parameterNames.length);
    const biggest = Math.max(0, ...steps);
    const firstMax = Math.max(0, ...first);
    const tooSmall = verdict === "flat" && biggest < 1e-3 ? ", far too small to move the parameters out of the flat region in this many steps" : "";
    if (steps.length > 0) parts.push(`With learning rate ${fmt(sol.optimizer.lr)} the largest single parameter change was ${fmt(biggest)} (${fmt(firstMax)} at the first step)${tooSmall}.`);
  }
  return parts.join(" ");
}
