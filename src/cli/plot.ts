// `nabla plot activations|curves` and `nabla train FILE --plot`: Vega-Lite rendered to SVG or PNG.
import { writeFileSync } from "node:fs";
import { runsFromFiles } from "../problems/runs.js";
import { NablaError } from "../tensor/errors.js";
import { activationsSpec, curvesSpec, type VlSpec } from "../viz/plot.js";
import { svgToPng } from "../viz/render.js";
import { vegaLiteToSvg } from "../viz/vega.js";

/** Writes a spec as .svg, .png or .json (the Vega-Lite spec itself), by the output's extension. */
export async function writePlot(spec: VlSpec, output: string): Promise<void> {
  if (/\.json$/i.test(output)) return writeFileSync(output, JSON.stringify(spec, null, 2));
  const svg = await vegaLiteToSvg(spec);
  if (/\.svg$/i.test(output)) return writeFileSync(output, svg);
  if (/\.png$/i.test(output)) return writeFileSync(output, await svgToPng(svg));
  throw new NablaError(`the output must end in .svg, .png or .json, got ${output}.`, { op: "plot" });
}

export async function plotActivations(fns: string, o: { derivative: boolean; range: string; output: string }): Promise<void> {
  const r = o.range.split(",").map(Number);
  if (r.length !== 2 || r.some((v) => !Number.isFinite(v))) throw new NablaError(`--range must be two numbers like -4,4, got ${o.range}.`, { op: "plot" });
  await writePlot(activationsSpec(fns.split(",").map((s) => s.trim()).filter((s) => s !== ""), { derivative: o.derivative, range: [r[0] as number, r[1] as number] }), o.output);
}

export async function plotCurves(files: readonly string[], o: { output: string; grad?: string; title?: string; onIteration?: (i: number, n: number, loss: number) => void }): Promise<void> {
  if (files.length === 0) throw new NablaError("give at least one problem file or saved solution.", { op: "plot curves" });
  const runs = runsFromFiles(files, { ...(o.grad === undefined ? {} : { grad: o.grad }), ...(o.onIteration === undefined ? {} : { onIteration: o.onIteration }) });
  await writePlot(curvesSpec(runs, o.title === undefined ? {} : { title: o.title }), o.output);
}
