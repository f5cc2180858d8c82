// The playground: wires the editor and the views to one App and restores the state from the URL.
import { App, el } from "./app.js";
import { EXAMPLES, FIRST_EXAMPLE } from "./examples.js";
import { readHash, type View, VIEWS } from "./url-state.js";
import { mountActivations } from "./views/activations.js";
import { mountChecker } from "./views/checker.js";
import { mountDream } from "./views/dream.js";
import { mountEditor } from "./views/editor.js";
import { mountGraph } from "./views/graph.js";
import { mountTables } from "./views/tables.js";
import { mountTraining } from "./views/training.js";
import "./style.css";

const TITLES: Record<View, string> = { graph: "Graph", tables: "Tables", training: "Training", activations: "Activations", checker: "Answer checker", dream: "Class visualization" };

const app = new App();
const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

mountEditor(byId("editor-pane"), app);
const tabs = byId("tabs");
const panels = byId("panels");
for (const v of VIEWS) {
  const tab = el("button", { type: "button", role: "tab", id: `tab-${v}`, "aria-controls": `view-${v}`, "aria-selected": "false", text: TITLES[v] });
  tab.addEventListener("click", () => app.setView(v));
  tab.addEventListener("keydown", (e) => {
    const i = VIEWS.indexOf(v);
    const to = e.key === "ArrowRight" ? VIEWS[(i + 1) % VIEWS.length] : e.key === "ArrowLeft" ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length] : undefined;
    if (to === undefined) return;
    e.preventDefault();
    app.setView(to);
    byId(`tab-${to}`).focus();
  });
  tabs.append(tab);
  panels.append(el("section", { role: "tabpanel", id: `view-${v}`, "aria-labelledby": `tab-${v}`, class: "view", hidden: "" }, el("h2", { class: "sr-only", text: TITLES[v] })));
}
mountGraph(byId("view-graph"), app);
mountTables(byId("view-tables"), app);
mountTraining(byId("view-training"), app);
mountActivations(byId("view-activations"), app);
mountChecker(byId("view-checker"), app);
mountDream(byId("view-dream"), app);

app.on("view", () => {
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== app.view;
    const tab = byId(`tab-${v}`);
    tab.setAttribute("aria-selected", String(v === app.view));
    tab.tabIndex = v === app.view ? 0 : -1;
  }
});

const digits = byId("digits") as HTMLSelectElement;
digits.addEventListener("change", () => app.setDigits(digits.value === "" ? null : Number(digits.value)));
app.on(["problem", "rounding"], () => {
  const own = app.solved?.solution.rounding;
  const first = digits.options[0];
  const unit = own?.mode === "decimals" ? "decimals" : "significant";
  if (first !== undefined && own !== undefined) first.textContent = `problem's (${own.digits} ${unit})`;
  for (const o of Array.from(digits.options).slice(1)) o.textContent = `${o.value} ${unit}`;
  digits.value = app.digits === null ? "" : String(app.digits);
  const r = app.rounding();
  panels.dataset["digits"] = String(r.digits);
  panels.dataset["mode"] = r.mode;
  panels.dataset["example"] = app.example ?? "";
});
byId("share").addEventListener("click", () => {
  app.saveUrl();
  void navigator.clipboard?.writeText(location.href).catch(() => undefined);
  byId("share-status").textContent = "Link copied (the address bar holds it too).";
});

const restore = (): void => {
  const s = readHash(location.hash);
  const text = s.source ?? EXAMPLES.get(s.example ?? FIRST_EXAMPLE) ?? EXAMPLES.get(FIRST_EXAMPLE) ?? "";
  app.digits = s.digits;
  app.iteration = s.iteration;
  app.step = s.step;
  app.setText(text, s.source === null ? (s.example ?? FIRST_EXAMPLE) : null);
  app.setView(s.view);
  document.body.dataset["ready"] = "true";
};
restore();
