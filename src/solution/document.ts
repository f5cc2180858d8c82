// Builds a worked solution as neutral blocks (headings, lists, tables, equation chains) in one
// notation (text or LaTeX); format.ts lays the blocks out as terminal text, Markdown or LaTeX.
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { displayName, formatNumber, formatValue, gradSymbol, type Target } from "../symbolic/names.js";
import { printExpr } from "../symbolic/print-ast.js";
import { type PrintOptions, printSym } from "../symbolic/print.js";
import type { Sym } from "../symbolic/sym.js";
import type { IterationTrace, SampleTrace, Solution } from "./solution.js";

export type Block =
  | { readonly kind: "h"; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: "p"; readonly text: string }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "table"; readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] }
  /** Each line: left side, then the chain of equal right sides. */
  | { readonly kind: "eq"; readonly lines: readonly (readonly string[])[] };

/** What the document should include. */
export interface DocumentOptions {
  readonly target: Target;
  /** Print every iteration in full (default: the first few, then a summary). */
  readonly full?: boolean;
  /** Extra paragraph (e.g. a diagnosis) appended at the end. */
  readonly diagnosis?: string;
  /** Skip the model and the step-by-step iterations. */
  readonly summaryOnly?: boolean;
}

const T = (s: string, target: Target): string => (target === "latex" ? `\\text{${s.replace(/[_%&#]/g, (c) => `\\${c}`)}}` : s);

function shown(t: Tensor, sol: Solution, target: Target, isGrad: boolean): string {
  const v = isGrad && sol.layout === "numerator" && t.ndim >= 1 ? noGrad(() => (t.ndim === 1 ? t.reshape([1, t.size]) : t.transpose())) : t;
  return formatValue(v, sol.rounding, target);
}

/** How a solution's formulas print: names for symbols, or the numbers line. */
export function printOptions(sol: Solution, target: Target, numbers: boolean): PrintOptions {
  return { target, rounding: sol.rounding, numbers, name: (n, grad) => (grad ? gradSymbol(sol.lossName, n, target) : displayName(n, target)) };
}

/** A step printed as its chain: the formula, the same with numbers, the value (repeats dropped). */
export function stepChain(g: Sym, sol: Solution, target: Target, value: string): string[] {
  const symbolic = printSym(g, printOptions(sol, target, false));
  const numeric = printSym(g, printOptions(sol, target, true));
  const chain = [symbolic];
  if (numeric !== symbolic && numeric !== value) chain.push(numeric);
  if (value !== chain.at(-1)) chain.push(value);
  return chain;
}

function sampleBlocks(sol: Solution, s: SampleTrace, target: Target, multi: boolean): Block[] {
  const blocks: Block[] = [];
  const keep = (name: string): boolean => sol.show === null || sol.show.includes(name);
  const label = multi ? ` — sample ${s.index + 1}` : "";
  blocks.push({ kind: "h", level: 3, text: `Forward pass${label}` });
  blocks.push({
    kind: "table",
    head: ["quantity", "formula", "value"],
    rows: s.forward.filter((r) => keep(r.name)).map((r) => [displayName(r.name, target), printExpr(r.formula, target, sol.rounding), formatValue(r.value, sol.rounding, target)]),
  });
  blocks.push({ kind: "h", level: 3, text: `Backward pass (chain rule)${label}` });
  const lines: string[][] = [];
  for (const st of s.steps.filter((x) => keep(x.quantity))) {
    const lhs = gradSymbol(sol.lossName, st.quantity, target);
    const value = shown(st.value, sol, target, true);
    if (st.formula === null) {
      lines.push([lhs, target === "latex" ? "0" : "0 (does not reach the loss)"]);
      continue;
    }
    const chain = [lhs, ...stepChain(st.formula, sol, target, value)];
    lines.push(sol.layout === "numerator" && st.value.ndim >= 1 ? [lhs, `(${chain.slice(1, -1).join(" = ")})${target === "latex" ? "^{\\top}" : "ᵀ"}`, value] : chain);
  }
  blocks.push({ kind: "eq", lines });
  if (s.locals.length > 0) {
    blocks.push({ kind: "h", level: 3, text: `Local derivatives${label}` });
    blocks.push({
      kind: "eq",
      lines: s.locals.filter((l) => keep(`d${l.of}/d${l.wrt}`) || keep(l.of)).map((l) => {
        const lhs = target === "latex" ? `\\frac{\\partial ${displayName(l.of, target)}}{\\partial ${displayName(l.wrt, target)}}` : `∂${displayName(l.of, target)}/∂${displayName(l.wrt, target)}`;
        const sym = printSym(l.g, printOptions(sol, target, false));
        const val = formatValue(l.value, sol.rounding, target);
        return sym === val ? [lhs, val] : [lhs, sym, val];
      }),
    });
  }
  return blocks;
}

function updateBlocks(sol: Solution, it: IterationTrace, target: Target): Block[] {
  const opt = sol.optimizer;
  if (it.updates.length === 0 || opt === null) return [];
  const sgd = opt.plainGradientStep;
  const eta = String(opt.lr);
  const arrow = target === "latex" ? " \\leftarrow " : " ← ";
  const lines = it.updates.map((u) => {
    const n = displayName(u.name, target);
    const after = formatValue(u.after, sol.rounding, target);
    if (!sgd) return [`${n}${arrow}${T("update of", target)} ${n}`, after];
    const before = formatValue(u.before, sol.rounding, target);
    const grad = formatValue(u.grad, sol.rounding, target);
    const dot = target === "latex" ? " \\cdot " : "·";
    const minus = target === "latex" ? " - " : " − ";
    return [`${n}${arrow}${n}${minus}\\eta${dot}${gradSymbol(sol.lossName, u.name, target)}`.replace("\\eta", target === "latex" ? "\\eta" : "η"), `${before}${minus}${eta}${dot}${u.grad.ndim === 0 && (u.grad.data[0] as number) < 0 ? `(${grad})` : grad}`, after];
  });
  return [{ kind: "h", level: 3, text: `Update (${opt.rule})` }, { kind: "eq", lines }];
}

function summaryRows(sol: Solution, full: boolean): string[][] {
  const n = sol.lossHistory.length;
  const every = full || n <= 20 ? 1 : Math.ceil(n / 10);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    if (i % every !== 0 && i !== n - 1) continue;
    const out = sol.outputHistory[i] ?? [];
    rows.push([String(i + 1), formatNumber(sol.lossHistory[i] as number, sol.rounding), out.map((v) => formatNumber(v, sol.rounding)).join(", "), formatNumber(sol.outputGradHistory[i] ?? 0, sol.rounding)]);
  }
  return rows;
}

/** The worked solution as blocks. */
export function buildDocument(sol: Solution, o: DocumentOptions): Block[] {
  const target = o.target;
  const blocks: Block[] = [{ kind: "h", level: 1, text: sol.title }];
  if (sol.source !== null) blocks.push({ kind: "p", text: `Source: ${sol.source}` });
  if (sol.description !== null) blocks.push({ kind: "p", text: sol.description.trim() });
  const rounding = `rounding: ${sol.rounding.digits} ${sol.rounding.mode === "decimals" ? "decimal places" : "significant digits"} for display only (computed in float64)`;
  const layout = sol.layout === "numerator" ? "gradients in numerator layout (∂L/∂x is a row vector, ∂L/∂W has the transposed shape of W)" : "gradients in denominator layout (∂L/∂x has the shape of x, as PyTorch stores .grad)";
  const mode = { single: "one sample per iteration", "per-sample": "one sample per iteration, samples in order (stochastic gradient descent)", "batch-mean": "all samples per iteration, loss = mean of the per-sample losses (full-batch gradient descent)", "batch-sum": "all samples per iteration, loss = sum of the per-sample losses" }[sol.mode];
  blocks.push({ kind: "h", level: 2, text: "Conventions" });
  blocks.push({ kind: "list", items: [...sol.conventions, "natural logarithm (ln) wherever log appears", "ReLU′(0) = 0, LeakyReLU′(0) = slope, |x|′ at 0 = 0 (PyTorch)", layout, `iteration: ${mode}`, "the loss of an iteration is recorded before that iteration's update", ...(sol.optimizer !== null && sol.trained ? [`optimizer: ${sol.optimizer.rule}`] : []), rounding] });
  blocks.push({ kind: "h", level: 2, text: "Model" });
  blocks.push({ kind: "eq", lines: sol.program.map((s) => [displayName(s.name, target), printExpr(s.expr, target, sol.rounding)]) });
  const multiSample = sol.mode === "batch-mean" || sol.mode === "batch-sum";
  for (const it of sol.iterations) {
    if (o.summaryOnly === true) break;
    if (!it.detailed || (!o.full && it.iteration > 3 && it.iteration !== sol.iterations.length)) continue;
    if (!o.full && it.iteration === sol.iterations.length && it.iteration > 3) blocks.push({ kind: "p", text: `… iterations 4 to ${it.iteration - 1} are summarised below (pass --full for every step) …` });
    blocks.push({ kind: "h", level: 2, text: sol.trained ? `Iteration ${it.iteration}` : "Forward and backward pass" });
    for (const s of it.samples) blocks.push(...sampleBlocks(sol, s, target, multiSample));
    if (it.samples.length < it.sampleCount) blocks.push({ kind: "p", text: `… samples ${it.samples.length + 1} to ${it.sampleCount} are not shown step by step (pass --full for every sample); they enter the total below …` });
    if (multiSample) {
      blocks.push({ kind: "h", level: 3, text: `Total loss (${sol.mode === "batch-mean" ? "mean" : "sum"} over ${it.sampleCount} samples)` });
      blocks.push({ kind: "eq", lines: [[displayName(sol.lossName, target), formatNumber(it.loss, sol.rounding)], ...[...it.grads].map(([n, g]) => [gradSymbol(sol.lossName, n, target), shown(g, sol, target, true)])] });
    }
    if (sol.trained) blocks.push(...updateBlocks(sol, it, target));
  }
  if (sol.trained && sol.lossHistory.length > 1) {
    blocks.push({ kind: "h", level: 2, text: "Training summary" });
    blocks.push({ kind: "table", head: target === "latex"
      ? ["\\text{iteration}", `\\text{loss } ${displayName(sol.lossName, target)}`, `\\text{prediction } ${displayName(sol.output, target)}`, `\\left|${gradSymbol(sol.lossName, sol.output, target)}\\right|`]
      : ["iteration", `loss ${sol.lossName}`, `prediction ${sol.output}`, `|∂${sol.lossName}/∂${sol.output}|`], rows: summaryRows(sol, o.full ?? false) });
    blocks.push({ kind: "h", level: 3, text: "Final parameters" });
    blocks.push({ kind: "eq", lines: [...sol.finalParameters].map(([n, t]) => [displayName(n, target), formatValue(t, sol.rounding, target)]) });
  }
  if (sol.notes !== null) blocks.push({ kind: "h", level: 2, text: "Notes" }, { kind: "p", text: sol.notes.trim() });
  if (o.diagnosis !== undefined) blocks.push({ kind: "h", level: 2, text: "Diagnosis" }, { kind: "p", text: o.diagnosis });
  return blocks;
}

