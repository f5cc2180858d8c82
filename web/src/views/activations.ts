// The activation plotter: each function and its derivative by nabla's autograd, with the value the
// derivative takes at a kink (PyTorch's convention) marked.
import { ACTIVATIONS, activationSeries } from "nabla";
import type { VisualizationSpec } from "vega-embed";
import { type App, el } from "../app.js";

export function mountActivations(root: HTMLElement, _app: App): void {
  const names = Object.keys(ACTIVATIONS);
  const boxes = names.map((n) => el("input", { type: "checkbox", id: `act-${n}`, value: n }));
  for (const b of boxes) b.checked = b.value === "relu" || b.value === "sigmoid";
  const chart = el("div", { id: "act-chart", class: "chart", role: "img", "aria-label": "Activation functions and their derivatives" });
  const notes = el("ul", { id: "act-kinks", class: "kinks" });
  const fieldset = el("fieldset", { class: "checks" }, el("legend", { text: "Functions" }), ...names.map((n, i) => el("label", { for: `act-${n}` }, boxes[i] as HTMLInputElement, ` ${n}`)));
  root.append(fieldset, chart, el("h3", { text: "Kinks (derivative at the kink)" }), notes);

  const draw = async (): Promise<void> => {
    const fns = boxes.filter((b) => b.checked).map((b) => b.value);
    const points = activationSeries(fns, [-4, 4], 401, true);
    const kinks = points.filter((p) => p.x === 0 && ACTIVATIONS[p.fn]?.kink !== undefined);
    notes.replaceChildren(...fns.filter((f) => ACTIVATIONS[f]?.kink !== undefined).map((f) => el("li", { text: `${f}: ${ACTIVATIONS[f]?.kink ?? ""} (PyTorch)` })));
    const spec: VisualizationSpec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      resolve: { scale: { color: "shared" } },
      hconcat: ["f(x)", "f′(x)"].map((series) => ({
        title: series,
        width: 260,
        height: 200,
        layer: [
          { data: { values: points.filter((p) => p.series === series) }, mark: { type: "line", strokeWidth: 2 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative", title: null }, color: { field: "fn", type: "nominal", title: "function" } } },
          { data: { values: kinks.filter((p) => p.series === series) }, mark: { type: "point", shape: "diamond", size: 90, filled: true, color: "#dc2626" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, tooltip: [{ field: "fn" }, { field: "y", title: "value at the kink" }] } },
        ],
      })),
    };
    const { default: embed } = await import("vega-embed"); // loaded with the first chart, not with the page
    await embed(chart, spec, { renderer: "svg", actions: false });
    chart.dataset["fns"] = fns.join(",");
  };
  for (const b of boxes) b.addEventListener("change", () => void draw());
  let drawn = false;
  _app.on("view", () => {
    if (_app.view === "activations" && !drawn) {
      drawn = true;
      void draw();
    }
  });
}
