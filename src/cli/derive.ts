// `nabla derive`: gradients in symbols, checked against autograd at random points and sizes.
import { type Derivation, derive, type Dim, parseShapes } from "../symbolic/derive.js";
import { displayName, type Target } from "../symbolic/names.js";
import { printExpr } from "../symbolic/print-ast.js";
import { printSym } from "../symbolic/print.js";
import { judgeLoss, lossFromUpdate } from "../symbolic/from-update.js";
import type { Tensor } from "../autograd/tensor.js";
import { loadProblem } from "../problems/index.js";
import { NablaError, ValueError } from "../tensor/errors.js";

/** Options of `nabla derive`. */
export interface DeriveCommandOptions {
  readonly wrt: string;
  readonly layout: "numerator" | "denominator";
  readonly shapes?: string;
  readonly format: "text" | "md" | "latex" | "json";
}

const ROUND = { digits: 6, mode: "significant" } as const;
const dims = (d: readonly Dim[]): string => (d.length === 0 ? "scalar" : d.join("×"));

function formula(d: Derivation, i: number, target: Target): string {
  const r = d.results[i];
  if (r === undefined) return "";
  return printSym(r.formula, { target, rounding: ROUND, numbers: false, matrix: true, name: (n) => displayName(n, target) });
}

function lhs(root: string, wrt: string, target: Target): string {
  return target === "latex" ? `\\frac{\\partial ${displayName(root, target)}}{\\partial ${displayName(wrt, target)}}` : `∂${displayName(root, target)}/∂${displayName(wrt, target)}`;
}

/** The report in the chosen format. */
export function deriveCommand(source: string, o: DeriveCommandOptions): string {
  const wrt = o.wrt.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return report(derive(source.replace(/;/g, "\n"), { wrt, layout: o.layout, ...(o.shapes === undefined ? {} : { shapes: parseShapes(o.shapes) }) }), o.format);
}

/** `nabla solve FILE --symbolic`: the problem's gradients in symbols, at its own sizes. */
export function symbolicSolveCommand(file: string, format: DeriveCommandOptions["format"]): string {
  const c = loadProblem(file);
  const source = c.program.map((s) => `${s.name} = ${s.text.trim()}`).join("\n");
  const values = new Map<string, Tensor>([...c.constants, ...c.parameters, ...c.samples.get(0)]);
  const shapes = new Map([...values].map(([k, t]): [string, Dim[]] => [k, [...t.shape]]));
  const layout = c.problem.report.layout === "numerator" ? "numerator" : "denominator";
  const o = { wrt: [...c.parameters.keys(), ...c.problem.wrt.filter((w) => !c.parameters.has(w))], layout, shapes } as const;
  try {
    return report(derive(source, o), format);
  } catch (e) {
    if (!(e instanceof NablaError)) throw e;
    return report(derive(source, { ...o, columns: false }), format); // the file's vectors are 1-d (w @ x a dot product)
  }
}

function report(d: Derivation, format: DeriveCommandOptions["format"]): string {
  const o = { format };
  const layout = d.layout === "numerator" ? "numerator layout: ∂L/∂x is a row vector, ∂L/∂W has the transposed shape of W" : "denominator layout: ∂L/∂x has the shape of x";
  const note = `vectors are columns; ${layout}; checked against autograd at ${d.checked.points} random points and sizes`;
  if (o.format === "json") {
    return `${JSON.stringify({
      format: "nabla-derivation/1", root: d.root, layout: d.layout, conventions: note,
      forward: d.program.map((s) => ({ name: s.name, text: printExpr(s.expr, "text", ROUND), latex: printExpr(s.expr, "latex", ROUND), expr: s.text.trim() })),
      results: d.results.map((r, i) => ({ wrt: r.wrt, shape: r.shape.length === 0 ? [] : r.shape, text: formula(d, i, "text"), latex: formula(d, i, "latex"), expr: r.expr })),
      checked: d.checked,
    }, null, 2)}\n`;
  }
  const target: Target = o.format === "latex" ? "latex" : "text";
  const forward = d.program.map((s) => `${displayName(s.name, target)} = ${printExpr(s.expr, target, ROUND)}`);
  const results = d.results.map((r, i) => `${lhs(d.root, r.wrt, target)} = ${formula(d, i, target)}`);
  if (o.format === "latex") {
    return `% ${note}\n\\begin{aligned}\n${[...forward, ...results].map((l) => l.replace(" = ", " &= ")).join(" \\\\\n")}\n\\end{aligned}\n`;
  }
  const shapes = d.results.map((r) => `${r.wrt}: ${dims(r.shape)}`).join(", ");
  if (o.format === "md") return `## Gradients of ${d.root}\n\n${note}.\n\n\`\`\`\n${[...forward, "", ...results].join("\n")}\n\`\`\`\n\nShapes of the results: ${shapes}.\n`;
  return `${[`Gradients of ${d.root} (${note})`, "", ...forward.map((l) => `  ${l}`), "", ...results.map((l) => `  ${l}`)].join("\n")}\n`;
}

/** `nabla derive --from-update U --model M [--check C]`: the derivation, and a verdict on C (status 1 when wrong). */
export function lossFromUpdateCommand(update: string, model: string | undefined, check: string | undefined, format: DeriveCommandOptions["format"]): [string, number] {
  if (model === undefined) throw new ValueError('--from-update needs --model, e.g. --model "yhat = tanh(b + w\'@x)".', { op: "derive" });
  const d = lossFromUpdate(update, model);
  const verdict = check === undefined ? null : judgeLoss(check, update, model);
  const code = verdict?.ok === false ? 1 : 0;
  if (format === "json") return [`${JSON.stringify({ format: "nabla-loss-from-update/1", update, model, activation: d.activation, steps: d.steps, loss: d.loss, checkedAt: d.checkedAt.length, ...(verdict === null ? {} : { check: { loss: check, ...verdict } }) }, null, 2)}\n`, code];
  const lines = [`Loss descended by ${update} for ${model} (z = the pre-activation; checked by differentiating back at ${d.checkedAt.length} points on both sides of any kink)`, "", ...d.steps.map((s, i) => `  ${i + 1}. ${s}`)];
  if (verdict !== null) lines.push("", `${verdict.ok ? "✓" : "✗"} ${check}: ${verdict.cause}`);
  return [`${lines.join("\n")}\n`, code];
}
