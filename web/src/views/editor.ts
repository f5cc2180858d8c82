// The problem editor: YAML text with line numbers; the file format's errors shown at their line
// (the gutter marks it, a note sits on the line); the bundled examples one click away.
import { type App, el } from "../app.js";
import { EXAMPLES, titleOf } from "../examples.js";

const LINE_PX = 20;

export function mountEditor(root: HTMLElement, app: App): void {
  const list = el("div", { class: "examples", role: "group", "aria-label": "Bundled examples" });
  for (const name of EXAMPLES.keys()) {
    const b = el("button", { type: "button", class: "example", "data-example": name, title: titleOf(name), text: name });
    b.addEventListener("click", () => {
      app.setStep(0);
      app.setText(EXAMPLES.get(name) ?? "", name);
    });
    list.append(b);
  }
  const gutter = el("pre", { class: "gutter", "aria-hidden": "true" });
  const area = el("textarea", { id: "problem-text", spellcheck: "false", wrap: "off", "aria-label": "Problem file (YAML)", "aria-describedby": "editor-error" });
  const note = el("div", { class: "line-note", "aria-hidden": "true" });
  const error = el("div", { id: "editor-error", class: "editor-error", role: "status", "aria-live": "polite" });
  const timing = el("div", { id: "solve-time", class: "hint" });
  root.append(el("h2", { text: "Problem" }), list, el("div", { class: "editor" }, gutter, area, note), error, timing);

  let errorLine: number | null = null;
  const lines = (): void => {
    const n = area.value.split("\n").length;
    gutter.replaceChildren(...Array.from({ length: n }, (_, i) => el("span", { class: i + 1 === errorLine ? "err" : "", text: `${i + 1}\n` })));
    gutter.scrollTop = area.scrollTop;
    note.style.top = `${((errorLine ?? 1) - 1) * LINE_PX - area.scrollTop + 7}px`; // the padding is 6 px; the note is 18 px high
  };
  const show = (): void => {
    if (area.value !== app.text) area.value = app.text;
    const o = app.outcome;
    if (o === null || o.ok) {
      errorLine = null;
      error.textContent = "";
      error.className = "editor-error";
      note.textContent = "";
      note.hidden = true;
      timing.textContent = o === null ? "" : `solved in ${o.ms.toFixed(0)} ms in this page`;
    } else {
      errorLine = o.error.line;
      const where = o.error.line === null ? "" : `line ${o.error.line}, column ${o.error.column ?? 1}: `;
      error.textContent = `${where}${o.error.message}`;
      error.dataset["line"] = String(o.error.line ?? "");
      error.className = "editor-error shown";
      note.textContent = `⚠ ${o.error.message}`;
      note.hidden = o.error.line === null;
      timing.textContent = "the views show the last problem that solved";
    }
    lines();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  area.addEventListener("input", () => {
    lines();
    clearTimeout(timer);
    timer = setTimeout(() => app.setText(area.value, app.example), 300);
  });
  area.addEventListener("scroll", lines);
  app.on("problem", show);
}
