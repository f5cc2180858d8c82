// The tables view: one iteration's forward values, backward gradients and parameter updates, every
// number from the solution's quantities (the keys of `nabla solve --format json`) at the rounding
// chosen in the header.
import { displayName, type Solution, type Tensor } from "nabla";
import { type App, el } from "../app.js";
import { parseKey, valueNode } from "../numbers.js";

function table(caption: string, id: string, head: readonly string[], rows: readonly (readonly (Node | string)[])[], names: readonly string[]): HTMLElement {
  const t = el("table", { id, class: "numbers" }, el("caption", { text: caption }), el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))));
  const body = el("tbody");
  rows.forEach((r, i) => body.append(el("tr", { "data-name": names[i] ?? "" }, ...r.map((c, j) => (j === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c))))));
  t.append(body);
  return el("div", { class: "table-wrap" }, t);
}

export function mountTables(root: HTMLElement, app: App): void {
  const itInput = el("input", { type: "number", id: "iteration", min: "1", value: "1", "aria-label": "Iteration shown" });
  const itLabel = el("label", { for: "iteration", text: "Iteration " });
  const total = el("span", { id: "iteration-total" });
  const body = el("div", { id: "tables-body" });
  root.append(el("div", { class: "toolbar" }, itLabel, itInput, total), body);

  const cell = (sol: Solution, k: string): Node => {
    const t = sol.quantities.get(k) as Tensor;
    return valueNode(t, sol.rounding, k);
  };

  const render = (): void => {
    const sol = app.shown();
    if (sol === null) return;
    const n = sol.iterations.length;
    const it = Math.max(1, Math.min(app.iteration, n));
    itInput.max = String(n);
    itInput.value = String(it);
    total.textContent = ` of ${n}`;
    const forward: string[] = [], backward: string[] = [];
    const gradPrefix = `d${sol.lossName}/d`;
    for (const k of sol.quantities.keys()) {
      const p = parseKey(k);
      if (p.iteration !== it) continue;
      if (/^d.+\/d.+$/.test(p.base)) backward.push(k);
      else forward.push(k);
    }
    const label = (k: string): string => {
      const p = parseKey(k);
      const base = p.base.startsWith(gradPrefix) ? `∂${sol.lossName}/∂${displayName(p.base.slice(gradPrefix.length), "text")}` : /^d(.+)\/d(.+)$/.test(p.base) ? p.base.replace(/^d(.+)\/d(.+)$/, (_m, a: string, b: string) => `∂${displayName(a, "text")}/∂${displayName(b, "text")}`) : displayName(p.base, "text");
      return `${base}${p.sample === null ? "" : ` (sample ${p.sample})`}`;
    };
    const at = (base: string, i: number): string => (i > 1 ? `${base}@${i}` : base);
    const updates = sol.trained ? sol.parameterNames.filter((p) => sol.quantities.has(at(p, it)) && sol.quantities.has(at(`${gradPrefix}${p}`, it)) && sol.quantities.has(at(p, it + 1))) : [];
    body.replaceChildren(
      table(`Forward pass — iteration ${it}`, "table-forward", ["quantity", "value"], forward.map((k) => [label(k), cell(sol, k)]), forward.map((k) => parseKey(k).base)),
      table(`Backward pass — iteration ${it}`, "table-backward", ["gradient", "value"], backward.map((k) => [label(k), cell(sol, k)]), backward.map((k) => parseKey(k).base.replace(gradPrefix, ""))),
      ...(updates.length > 0 ? [table(`Updates — iteration ${it} (${sol.optimizer?.rule ?? ""})`, "table-updates", ["parameter", "before", `∂${sol.lossName}/∂·`, "after"], updates.map((p) => [displayName(p, "text"), cell(sol, at(p, it)), cell(sol, at(`${gradPrefix}${p}`, it)), cell(sol, at(p, it + 1))]), updates)] : []),
    );
    mark();
  };

  const mark = (): void => {
    const panel = document.getElementById("step-panel");
    const line = panel?.querySelector("[data-key]")?.getAttribute("data-key") ?? null;
    for (const r of body.querySelectorAll("tr.current")) r.classList.remove("current");
    if (line === null) return;
    const name = parseKey(line).base.replace(new RegExp(`^d${app.shown()?.lossName ?? "L"}/d`), "");
    for (const r of body.querySelectorAll(`tr[data-name="${CSS.escape(name)}"]`)) r.classList.add("current");
  };

  itInput.addEventListener("change", () => {
    const v = Number(itInput.value);
    if (Number.isInteger(v) && v >= 1) app.setIteration(v);
  });
  app.on(["problem", "rounding", "iteration"], render);
  app.on("step", () => requestAnimationFrame(mark));
}
