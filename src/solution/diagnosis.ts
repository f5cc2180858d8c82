// A one-paragraph diagnosis of a training run, computed from what the run recorded: how far the
// loss fell, whether a sigmoid output saturated (σ′ = ŷ(1 − ŷ) ≈ 0 starves every gradient behind
// it), and how large the steps were. Every number in it comes from the run.
import type { Statement } from "../expr/ast.js";
import type { Solution } from "./solution.js";

const fmt = (x: number): string => (x === 0 ? "0" : Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? Number(x.toPrecision(3)).toString() : x.toExponential(2));

function sigmoidArgument(program: readonly Statement[], output: string): string | null {
  const s = program.find((p) => p.name === output);
  return s !== undefined && s.expr.kind === "call" && s.expr.fn === "sigmoid" && s.expr.args[0]?.kind === "var" ? s.expr.args[0].name : null;
}

/** The diagnosis paragraph, or undefined for runs too short to judge (fewer than 10 iterations). */
export function diagnose(sol: Solution): string | undefined {
  const n = sol.lossHistory.length;
  if (!sol.trained || n < 10) return undefined;
  const L0 = sol.lossHistory[0] as number, Ln = sol.lossHistory[n - 1] as number;
  const drop = L0 === 0 ? 0 : (L0 - Ln) / Math.abs(L0);
  const parts: string[] = [];
  parts.push(`Over ${n} iterations the loss went from ${fmt(L0)} to ${fmt(Ln)} (${drop >= 0 ? "down" : "up"} ${fmt(Math.abs(drop) * 100)}%)${drop < 0.1 ? ": the learning curve is essentially flat" : drop > 0.9 ? ": training converged well" : ""}.`);
  const z = sigmoidArgument(sol.program, sol.output);
  const y0 = sol.outputHistory[0]?.[0], yn = sol.outputHistory[n - 1]?.[0];
  if (z !== null && y0 !== undefined && yn !== undefined) {
    const s0 = y0 * (1 - y0), sn = yn * (1 - yn);
    const g = sol.gradNormHistory.get(z) ?? [];
    const g0 = g[0] ?? 0, gn = g[n - 1] ?? 0;
    const saturated = s0 < 0.01;
    const loss = sol.program.at(-1);
    const usesSquare = loss !== undefined && /\^\s*2/.test(loss.text) && !/log/.test(loss.text);
    const usesLog = loss !== undefined && /log/.test(loss.text);
    const effect = !saturated ? "" : usesLog
      ? ": the sigmoid is saturated, but the cross-entropy's 1/(ŷ(1 − ŷ)) cancels σ′, so the gradient stays large"
      : ": the sigmoid is saturated, and every gradient that reaches the parameters through it is multiplied by this factor";
    parts.push(`The prediction starts at ${sol.output} = ${fmt(y0)}, where σ′(${z}) = ${sol.output}(1 − ${sol.output}) = ${fmt(s0)}${effect}; at the end ${sol.output} = ${fmt(yn)} and σ′ = ${fmt(sn)}.`);
    parts.push(`The gradient reaching the pre-activation, |∂${sol.lossName}/∂${z}|, is ${fmt(g0)} at the first step and ${fmt(gn)} at the last.`);
    if (saturated && usesSquare) parts.push(`With squared error ∂${sol.lossName}/∂${z} = (${sol.output} − y)·σ′(${z}) keeps the vanishing σ′ factor; cross-entropy cancels it (∂${sol.lossName}/∂${z} = ${sol.output} − y), which is why its curve falls where this one stays flat.`);
  }
  if (sol.optimizer !== null) {
    const steps = sol.iterations.flatMap((it) => it.updates.map((u) => Math.max(...Array.from(u.after.data).map((a, i) => Math.abs(a - (u.before.data[i] as number))))));
    const first = steps.slice(0, sol.parameterNames.length);
    const biggest = Math.max(0, ...steps);
    const firstMax = Math.max(0, ...first);
    if (steps.length > 0) parts.push(`With learning rate ${fmt(sol.optimizer.lr)} the largest single parameter change was ${fmt(biggest)} (${fmt(firstMax)} at the first step)${biggest < 1e-3 ? ", far too small to move the parameters out of the flat region in this many steps" : ""}.`);
  }
  return parts.join(" ");
}
