// Rendering: DOT → SVG with Graphviz compiled to WebAssembly (Node and browser), SVG → PNG with
// resvg (Node; loaded on demand so browser bundles do not need it).
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz: Promise<Graphviz> | null = null;

/** DOT source → SVG text. */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(dot, "svg");
}

/** SVG text → PNG bytes (white background, scaled by `zoom`). Node only. */
export async function svgToPng(svg: string, zoom = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: zoom }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return r.render().asPng();
}
