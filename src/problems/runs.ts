// Training runs for learning-curve plots: from problem files (solved here) or saved solutions.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { NablaError } from "../tensor/errors.js";
import type { Solution } from "../solution/solution.js";
import type { Run } from "../viz/plot.js";
import { loadProblem } from "./index.js";
import { solve, type SolveOptions } from "./solve.js";

/** The quantity whose gradient magnitude is worth plotting: the argument of a sigmoid output. */
export function defaultGradQuantity(sol: Solution): string | undefined {
  const s = sol.program.find((p) => p.name === sol.output);
  return s !== undefined && s.expr.kind === "call" && s.expr.args[0]?.kind === "var" ? s.expr.args[0].name : undefined;
}

/** A run from a solution. */
export function runOf(sol: Solution, label: string, grad?: string): Run {
  const g = grad ?? defaultGradQuantity(sol);
  const values = g === undefined ? undefined : sol.gradNormHistory.get(g);
  if (grad !== undefined && values === undefined) throw new NablaError(`no quantity '${grad}' to plot the gradient of (the model defines ${sol.program.map((s) => s.name).join(", ")}).`, { op: "plot" });
  const target = sol.quantities.get(sol.target);
  return {
    label,
    loss: sol.lossHistory,
    prediction: sol.outputHistory.map((o) => o[0] ?? NaN),
    ...(target !== undefined && target.size === 1 ? { target: target.data[0] as number } : {}),
    ...(g !== undefined && values !== undefined ? { grad: { name: g, values } } : {}),
  };
}

interface SavedSolution { format?: string; title?: string; history?: { loss?: number[]; output?: number[][] } }

/** Runs from files: problem files are solved; JSON written by `nabla solve --format json` is read. */
export function runsFromFiles(files: readonly string[], o: { grad?: string; onIteration?: SolveOptions["onIteration"] } = {}): Run[] {
  return files.map((f) => {
    const label = basename(f).replace(/\.(ya?ml|json)$/i, "");
    if (/\.json$/i.test(f)) {
      let saved: SavedSolution | null;
      try {
        saved = JSON.parse(readFileSync(f, "utf8")) as SavedSolution;
      } catch {
        saved = null;
      }
      if (saved?.format === "nabla-solution/1") {
        const loss = saved.history?.loss ?? [];
        if (loss.length === 0) throw new NablaError(`${f} holds no loss history.`, { op: "plot" });
        return { label, loss, prediction: (saved.history?.output ?? []).map((x) => x[0] ?? NaN) };
      }
    }
    const sol = solve(loadProblem(f), { detail: 1, ...(o.onIteration === undefined ? {} : { onIteration: o.onIteration }) });
    return runOf(sol, label, o.grad);
  });
}
