// `nabla train FILE [--plot FILE]`: one training run; its summary and diagnosis, and the learning
// curves drawn from that same run.
import { basename } from "node:path";
import { loadProblem } from "../problems/index.js";
import { runOf } from "../problems/runs.js";
import { solve } from "../problems/solve.js";
import { curvesSpec } from "../viz/plot.js";
import { checkPlotOutput, writePlot } from "./plot.js";
import { renderSolution } from "./solve.js";
import { wroteLine } from "./write-output.js";

/** Runs the training once; prints the summary, then writes the plot (when asked) from the same run. */
export async function trainCommand(file: string, o: { plot?: string }, out: (s: string) => void, onIteration?: (i: number, n: number, loss: number) => void): Promise<void> {
  if (o.plot !== undefined) checkPlotOutput(o.plot); // before the work, so a bad path costs nothing
  const sol = solve(loadProblem(file), { detail: 0, ...(onIteration === undefined ? {} : { onIteration }) });
  out(renderSolution(sol, { format: "text", summaryOnly: true }));
  if (o.plot === undefined) return;
  const run = runOf(sol, basename(file).replace(/\.(ya?ml|json)$/i, ""));
  out(wroteLine(o.plot, await writePlot(curvesSpec([run]), o.plot)));
}
