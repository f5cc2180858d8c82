// The playground's shared state: the problem text, its solution, the step, the rounding and the
// view. Views listen for the changes they draw ("problem", "step", "rounding", "view").
import { type Compiled, compile, locator, NablaError, parseProblem, ProblemError, type Rounding, type Solution, solve } from "nabla";
import { EXAMPLES } from "./examples.js";
import { type UrlState, type View, writeHash } from "./url-state.js";

/** Why the text could not be solved, located when the file format says where. */
export interface TextError {
  readonly message: string;
  readonly line: number | null;
  readonly column: number | null;
}

export type Outcome =
  | { readonly ok: true; readonly compiled: Compiled; readonly solution: Solution; readonly ms: number }
  | { readonly ok: false; readonly error: TextError };

/** Parses, compiles and solves problem text (everything nabla solve does, in the page). */
export function solveText(text: string): Outcome {
  const t0 = performance.now();
  try {
    const compiled = compile(parseProblem(text, "problem"), "problem", locator(text));
    const solution = solve(compiled);
    return { ok: true, compiled, solution, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof ProblemError) return { ok: false, error: { message: e.message.replace(/^problem:\d+:\d+: /, ""), line: e.line, column: e.column } };
    if (e instanceof NablaError) return { ok: false, error: { message: e.message, line: null, column: null } };
    throw e;
  }
}

export type Change = "problem" | "step" | "rounding" | "view" | "iteration";

export class App extends EventTarget {
  text = "";
  example: string | null = null;
  outcome: Outcome | null = null;
  /** The last text that solved (views keep showing it while the editor holds an error). */
  solved: Extract<Outcome, { ok: true }> | null = null;
  step = 0;
  iteration = 1;
  digits: number | null = null;
  view: View = "graph";

  /** Sets the problem text (an example's name when it is one unchanged) and solves it. */
  setText(text: string, example: string | null): void {
    this.text = text;
    this.example = example !== null && EXAMPLES.get(example) === text ? example : null;
    this.outcome = solveText(text);
    if (this.outcome.ok) {
      this.solved = this.outcome;
      this.iteration = Math.min(this.iteration, this.solved.solution.iterations.length);
    }
    this.emit("problem");
  }

  /** The rounding shown: the problem's, with the digits control applied. */
  rounding(): Rounding {
    const r = this.solved?.solution.rounding ?? { digits: 4, mode: "significant" as const };
    return this.digits === null ? r : { digits: this.digits, mode: r.mode };
  }

  /** The solution with the displayed rounding. */
  shown(): Solution | null {
    const s = this.solved?.solution;
    return s === undefined ? null : { ...s, rounding: this.rounding() };
  }

  setStep(step: number): void {
    this.step = step;
    this.emit("step");
  }

  setDigits(d: number | null): void {
    this.digits = d;
    this.emit("rounding");
  }

  setIteration(i: number): void {
    this.iteration = i;
    this.emit("iteration");
  }

  setView(v: View): void {
    this.view = v;
    this.emit("view");
  }

  emit(what: Change): void {
    this.dispatchEvent(new Event(what));
    this.saveUrl();
  }

  on(what: Change | readonly Change[], f: () => void): void {
    for (const w of typeof what === "string" ? [what] : what) this.addEventListener(w, f);
  }

  state(): UrlState {
    return { view: this.view, example: this.example, source: this.example === null ? this.text : null, step: this.step, iteration: this.iteration, digits: this.digits };
  }

  saveUrl(): void {
    const hash = writeHash(this.state());
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
}

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}
