// Vega-Lite → Vega → SVG, headless (no canvas needed), in Node and the browser.
import { parse, View } from "vega";
import { compile } from "vega-lite";
import type { VlSpec } from "./plot.js";

/** Renders a Vega-Lite spec to SVG text. */
export async function vegaLiteToSvg(spec: VlSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new View(parse(vg), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
