// `nabla plot activations|curves`: Vega-Lite rendered to SVG or PNG. Vega and resvg load only when
// a picture is drawn (a .json output is the spec itself).
import { runsFromFiles } from "../problems/runs.js";
import { NablaError } from "../tensor/errors.js";
import { activationsSpec, curvesSpec, type VlSpec } from "../viz/plot.js";
import { checkOutputPath, writeOutput } from "./write-output.js";

/** Checks a plot's output path (extension, directory) before the work of making the plot. */
export function checkPlotOutput(output: string): void {
  if (!/\.(json|svg|png)$/i.test(output)) throw new NablaError(`the output must end in .svg, .png or .json, got ${output}.`, { op: "plot" });
  checkOutputPath(output, "plot");
}

/** Writes a spec as .svg, .png or .json (the Vega-Lite spec itself), by the output's extension; returns whether a file was replaced. */
export async function writePlot(spec: VlSpec, output: string): Promise<boolean> {
  checkPlotOutput(output);
  if (/\.json$/i.test(output)) return writeOutput(output, JSON.stringify(spec, null, 2), "plot");
  const { vegaLiteToSvg } = await import("../viz/vega.js");
  const svg = await vegaLiteToSvg(spec);
  if (/\.svg$/i.test(output)) return writeOutput(output, svg, "plot");
  const { svgToPng } = await import("../viz/render.js");
  return writeOutput(output, await svgToPng(svg), "plot");
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** `lo,hi` as two numbers (the span is checked where the grid is made). */
export function parseRange(text: string): [number, number] {
  const parts = text.split(",").map((s) => s.trim());
  const [lo, hi] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => !NUMBER.test(p)) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new NablaError(`--range must be two numbers like -4,4, got ${text}.`, { op: "plot" });
  return [lo as number, hi as number];
}

/** Activation functions (and derivatives) on a grid; returns whether a file was replaced. */
export async function plotActivations(fns: string, o: { derivative: boolean; range: string; output: string }): Promise<boolean> {
  checkPlotOutput(o.output);
  return writePlot(activationsSpec(fns.split(",").map((s) => s.trim()).filter((s) => s !== ""), { derivative: o.derivative, range: parseRange(o.range) }), o.output);
}

/** Learning curves of problem files or saved solutions; returns whether a file was replaced. */
export async function plotCurves(files: readonly string[], o: { output: string; grad?: string; title?: string; onIteration?: (i: number, n: number, loss: number) => void }): Promise<boolean> {
  if (files.length === 0) throw new NablaError("give at least one problem file or saved solution.", { op: "plot curves" });
  checkPlotOutput(o.output);
  const runs = runsFromFiles(files, { ...(o.grad === undefined ? {} : { grad: o.grad }), ...(o.onIteration === undefined ? {} : { onIteration: o.onIteration }) });
  return writePlot(curvesSpec(runs, o.title === undefined ? {} : { title: o.title }), o.output);
}
