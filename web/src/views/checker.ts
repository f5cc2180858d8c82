// The answer checker: answers pasted as YAML (numbers, lists or formulas by quantity name) judged
// against the editor's problem; the first wrong value and its likely cause shown.
import { type CheckReport, checkTexts, NablaError } from "nabla";
import { type App, el } from "../app.js";
import { ANSWERS, EXAMPLES } from "../examples.js";

const MARK = { correct: "✓ correct", "rounding-only": "≈ rounding only", wrong: "✗ wrong", unknown: "? unknown" } as const;
const show = (v: number | number[] | null): string => (v === null ? "—" : Array.isArray(v) ? `[${v.map((x) => Number(x.toPrecision(6))).join(", ")}]` : String(Number(v.toPrecision(6))));

export function mountChecker(root: HTMLElement, app: App): void {
  const area = el("textarea", { id: "answers", rows: "8", spellcheck: "false", "aria-label": "Answers (YAML: quantity: value or formula)" });
  const check = el("button", { type: "button", id: "check-run", text: "Check against the problem" });
  const key = el("button", { type: "button", id: "check-seed001", text: "Load seed 001's answer key (tanh, BCE)" });
  const out = el("div", { id: "check-result", "aria-live": "polite" });
  root.append(el("label", { for: "answers", text: "Answers (quantity names as in the tables, e.g. dL/dw: 0.0012 or da1/ds1: \"1 - tanh(s1)^2\")" }), area, el("div", { class: "toolbar" }, check, key), out);

  const render = (r: CheckReport): void => {
    const rows = r.verdicts.map((v) => el("tr", { class: v.status, "data-quantity": v.quantity },
      el("td", { text: MARK[v.status] }), el("th", { scope: "row", text: v.quantity }), el("td", { text: v.given }),
      el("td", { text: v.status === "wrong" || v.status === "rounding-only" ? `expected ${show(v.expected)}${v.got !== null && v.status === "wrong" ? `, got ${show(v.got)}` : ""}` : "" }),
      el("td", { class: "cause", text: v.cause ?? "" })));
    out.replaceChildren(
      el("p", { id: "first-wrong", text: r.firstWrong === null ? "No wrong value." : `First wrong value (in the order the solution computes them): ${r.firstWrong}` }),
      el("table", { class: "numbers" }, el("thead", {}, el("tr", {}, ...["verdict", "quantity", "given", "", "likely cause"].map((h) => el("th", { scope: "col", text: h })))), el("tbody", {}, ...rows)),
      el("p", { text: `${r.counts.correct} correct, ${r.counts["rounding-only"]} rounding-only, ${r.counts.wrong} wrong${r.counts.unknown > 0 ? `, ${r.counts.unknown} unknown` : ""}` }),
    );
  };

  check.addEventListener("click", () => {
    try {
      render(checkTexts(app.text, area.value, "problem", "answers"));
    } catch (e) {
      if (!(e instanceof NablaError)) throw e;
      out.replaceChildren(el("p", { class: "error", role: "alert", text: e.message }));
    }
  });
  key.addEventListener("click", () => {
    const name = "seed001-classification-tanh-bce";
    app.setText(EXAMPLES.get(name) ?? "", name);
    area.value = ANSWERS.get("seed001-answer-key") ?? "";
    check.click();
  });
}
