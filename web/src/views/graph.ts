// The graph view: the problem's computational graph drawn by Graphviz (WebAssembly), stepped
// forward then backward with ← →; each step highlights one node and shows its value, its gradient
// and the chain-rule line with numbers.
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { displayName, gradSymbol, problemGraph, toDot } from "nabla";
import { type App, el } from "../app.js";
import { keyFor, valueNode } from "../numbers.js";
import { buildSteps, type Step } from "./steps.js";

let graphviz: Promise<Graphviz> | null = null;

export function mountGraph(root: HTMLElement, app: App): { steps: () => readonly Step[] } {
  const prev = el("button", { type: "button", id: "step-prev", "aria-label": "Previous step (←)", text: "◀ Back" });
  const next = el("button", { type: "button", id: "step-next", "aria-label": "Next step (→)", text: "Next ▶" });
  const counter = el("span", { id: "step-counter", "aria-live": "polite" });
  const zoom = el("select", { id: "graph-zoom", "aria-label": "Graph zoom" }, ...[["fit", "fit width"], ["0.5", "50%"], ["0.75", "75%"], ["1", "100%"]].map(([v, t]) => el("option", { value: v as string, text: t as string })));
  zoom.value = "0.75";
  const svgBox = el("div", { id: "graph-svg", class: "graph-svg", role: "img", "aria-label": "Computational graph" });
  const panel = el("div", { id: "step-panel", class: "step-panel", "aria-live": "polite" });
  root.append(el("div", { class: "toolbar" }, prev, counter, next, el("span", { class: "hint", text: "keys ← →" }), zoom), panel, svgBox);

  // The SVG at a fraction of Graphviz's own size (pt → px), or fitted to the box's width.
  const applyZoom = (): void => {
    const svg = svgBox.querySelector("svg");
    if (svg === null) return;
    if (svg.dataset["px"] === undefined) svg.dataset["px"] = String(parseFloat(svg.getAttribute("width") ?? "0") * (4 / 3));
    svg.removeAttribute("height");
    svg.style.width = zoom.value === "fit" ? "100%" : `${Math.round(Number(svg.dataset["px"]) * Number(zoom.value))}px`;
  };
  zoom.addEventListener("change", () => {
    applyZoom();
    show();
  });

  let steps: Step[] = [];
  const nodeOf = new Map<string, Element>();
  let drawn = 0;

  const draw = async (): Promise<void> => {
    const solved = app.solved;
    const sol = app.shown();
    if (solved === null || sol === null) return;
    const ticket = ++drawn;
    const g = problemGraph(solved.compiled);
    const leaves = g.nodes.filter((n) => n.kind === "input" || n.kind === "parameter").map((n) => n.label);
    steps = buildSteps(sol, leaves);
    show(); // the step panel at once; the drawing follows
    graphviz ??= Graphviz.load();
    const svg = (await graphviz).dot(toDot(g, sol.rounding), "svg");
    if (ticket !== drawn) return;
    svgBox.innerHTML = svg;
    applyZoom();
    nodeOf.clear();
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    for (const gNode of svgBox.querySelectorAll("g.node")) {
      const n = byId.get(gNode.querySelector("title")?.textContent ?? "");
      if (n === undefined) continue;
      const name = n.kind === "op" ? n.name : n.label;
      if (name !== undefined && !nodeOf.has(name)) {
        nodeOf.set(name, gNode);
        gNode.setAttribute("data-name", name);
        gNode.addEventListener("click", () => jumpTo(name));
      }
    }
    svgBox.dataset["ready"] = String(ticket);
    show();
  };

  const show = (): void => {
    const sol = app.shown();
    const n = steps.length;
    if (sol === null || n === 0) return;
    const i = Math.max(0, Math.min(app.step, n - 1));
    const st = steps[i] as Step;
    const samples = sol.iterations[0]?.sampleCount ?? 1;
    counter.textContent = `step ${i + 1} of ${n} (${st.phase}; iteration 1${samples > 1 ? `, sample 1 of ${samples}` : ""})`;
    prev.disabled = i === 0;
    next.disabled = i === n - 1;
    for (const e of svgBox.querySelectorAll(".current")) e.classList.remove("current");
    const node = nodeOf.get(st.name);
    node?.classList.add("current");
    if (node !== undefined && svgBox.scrollWidth > svgBox.clientWidth) {
      // NOTE: scroll the graph's own box (not the page) to centre the node.
      const b = node.getBoundingClientRect(), c = svgBox.getBoundingClientRect();
      svgBox.scrollLeft += b.left + b.width / 2 - (c.left + c.width / 2);
      svgBox.scrollTop += b.top + b.height / 2 - (c.top + c.height / 2);
    }
    const r = sol.rounding;
    const rows: HTMLElement[] = [el("div", { class: `phase ${st.phase}`, text: st.phase === "forward" ? "Forward pass" : "Backward pass (chain rule)" })];
    if (st.value !== null) rows.push(el("div", {}, `${displayName(st.name, "text")} = `, valueNode(st.value, r, keyFor(sol, st.valueKey, st.value))));
    if (st.grad !== null) rows.push(el("div", { class: "grad" }, `${gradSymbol(sol.lossName, st.name, "text")} = `, valueNode(st.grad, r, keyFor(sol, st.gradKey, st.grad)), st.gradNote));
    rows.push(el("div", { class: "line", "data-testid": "step-line", text: st.line }));
    panel.replaceChildren(...rows);
    panel.dataset["step"] = String(i);
  };

  // A click on a node steps to it: in the phase being shown, else in the other one.
  const jumpTo = (name: string): void => {
    const phase = steps[app.step]?.phase ?? "forward";
    const i = steps.findIndex((st) => st.name === name && st.phase === phase);
    const j = i >= 0 ? i : steps.findIndex((st) => st.name === name);
    if (j >= 0) app.setStep(j);
  };
  prev.addEventListener("click", () => app.setStep(Math.max(0, app.step - 1)));
  next.addEventListener("click", () => app.setStep(Math.min(steps.length - 1, app.step + 1)));
  document.addEventListener("keydown", (e) => {
    if (app.view !== "graph" && app.view !== "tables") return;
    const t = e.target;
    if (t instanceof HTMLTextAreaElement || t instanceof HTMLInputElement || t instanceof HTMLSelectElement) return;
    if (e.key === "ArrowRight") app.setStep(Math.min(steps.length - 1, app.step + 1));
    else if (e.key === "ArrowLeft") app.setStep(Math.max(0, app.step - 1));
    else return;
    e.preventDefault();
  });
  app.on(["problem", "rounding"], () => void draw());
  app.on("step", show);
  return { steps: () => steps };
}
