// `nabla solve FILE`: the worked solution in text, Markdown, LaTeX or JSON.
import { loadProblem } from "../problems/index.js";
import { randomizedValues } from "../problems/randomize.js";
import { solve } from "../problems/solve.js";
import { buildDocument } from "../solution/document.js";
import { toLatex, toMarkdown, toText } from "../solution/format.js";
import { toJson } from "../solution/format-json.js";
import { latexDocument } from "../solution/latex-document.js";
import type { Solution } from "../solution/solution.js";
import { diagnose } from "../solution/diagnosis.js";

export type Format = "text" | "md" | "latex" | "json";

export interface SolveCliOptions {
  readonly format: Format;
  readonly digits?: number;
  readonly full?: boolean;
  /** LaTeX: a complete document for pdflatex instead of a KaTeX fragment. */
  readonly standalone?: boolean;
  readonly diagnose?: (sol: Solution) => string | undefined;
  /** Only the conventions, training summary and diagnosis (for `nabla train`). */
  readonly summaryOnly?: boolean;
  /** A variant with new numbers drawn from this seed (`--randomize --seed S`). */
  readonly randomize?: number;
}

/** Renders a solution in one of the four formats. */
export function renderSolution(sol: Solution, o: SolveCliOptions): string {
  const s = o.digits === undefined ? sol : { ...sol, rounding: { ...sol.rounding, digits: o.digits } };
  if (o.format === "json") return `${JSON.stringify(toJson(s), null, 2)}\n`;
  const diagnosis = (o.diagnose ?? diagnose)(s);
  const doc = buildDocument(s, { target: o.format === "latex" ? "latex" : "text", full: o.full ?? false, summaryOnly: o.summaryOnly ?? false, ...(diagnosis === undefined ? {} : { diagnosis }) });
  if (o.format === "latex") return o.standalone === true ? latexDocument(toLatex(doc)) : toLatex(doc);
  return o.format === "md" ? toMarkdown(doc) : toText(doc);
}

/** Solves a file and renders it. */
export function solveCommand(file: string, o: SolveCliOptions, onIteration?: (i: number, n: number, loss: number) => void): string {
  const c = loadProblem(file);
  const at = o.randomize === undefined ? undefined : randomizedValues(c, o.randomize);
  const sol = solve(c, { ...(o.full === true ? { detail: Number.POSITIVE_INFINITY, samples: Number.POSITIVE_INFINITY } : o.summaryOnly === true ? { detail: 0 } : {}), ...(onIteration === undefined ? {} : { onIteration }), ...(at === undefined ? {} : { at }) });
  if (at === undefined) return renderSolution(sol, o);
  const variant = { ...sol, title: `${sol.title} — variant (seed ${o.randomize})`, description: `${sol.description ?? ""}\nThis variant's numbers: ${[...at].map(([k, t]) => `${k} = ${JSON.stringify(t.toArray())}`).join("; ")}.`.trim() };
  return renderSolution(variant, o);
}
