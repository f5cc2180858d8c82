// The steps of the graph view: forward through the named quantities (leaves, then each statement),
// then backward through the chain rule, one node at a time.
import { displayName, formatValue, gradSymbol, printExpr, type Solution, stepChain, type Tensor } from "nabla";

export interface Step {
  readonly phase: "forward" | "backward";
  /** The quantity (a graph node's name). */
  readonly name: string;
  /** The equation line: name = formula = numbers = value. */
  readonly line: string;
  readonly value: Tensor | null;
  readonly grad: Tensor | null;
  /** Keys of value and gradient in the solution's quantities (iteration 1, first sample). */
  readonly valueKey: string;
  readonly gradKey: string;
  /** Says when the gradient shown is not the first sample's (a batch's parameters: the total). */
  readonly gradNote: string;
}

/** The steps of iteration 1's first sample, printed with the solution's rounding. */
export function buildSteps(sol: Solution, leaves: readonly string[]): Step[] {
  const it = sol.iterations[0];
  const s = it?.samples[0];
  if (it === undefined || s === undefined) return [];
  const r = sol.rounding;
  const multi = sol.mode === "batch-mean" || sol.mode === "batch-sum";
  const sample = (n: string): string => (multi && !sol.parameterNames.includes(n) ? `${n}#1` : n);
  // NOTE: a batch records each sample's gradients but only the iteration's total for parameters.
  const gradOf = (n: string): Tensor | null => (multi && sol.parameterNames.includes(n) ? it.grads.get(n) : s.grads.get(n)) ?? null;
  const gradKey = (n: string): string => (multi && !sol.parameterNames.includes(n) ? `d${sol.lossName}/d${n}#1` : `d${sol.lossName}/d${n}`);
  const steps: Step[] = [];
  for (const n of leaves) {
    const v = s.values.get(n);
    if (v === undefined) continue;
    steps.push({ phase: "forward", name: n, line: `${displayName(n, "text")}: ${sol.parameterNames.includes(n) ? "a parameter (learned)" : "an input (given)"}`, value: v, grad: null, valueKey: sample(n), gradKey: gradKey(n), gradNote: "" });
  }
  for (const f of s.forward) {
    const value = formatValue(f.value, r, "text");
    const formula = printExpr(f.formula, "text", r);
    steps.push({ phase: "forward", name: f.name, line: `${displayName(f.name, "text")} = ${formula}${formula === value ? "" : ` = ${value}`}`, value: f.value, grad: null, valueKey: sample(f.name), gradKey: gradKey(f.name), gradNote: "" });
  }
  for (const st of s.steps) {
    const lhs = gradSymbol(sol.lossName, st.quantity, "text");
    const value = formatValue(st.value, r, "text");
    const line = st.formula === null ? `${lhs} = 0 (does not reach the loss)` : [lhs, ...stepChain(st.formula, sol, "text", value)].join(" = ");
    steps.push({ phase: "backward", name: st.quantity, line, value: s.values.get(st.quantity) ?? null, grad: gradOf(st.quantity) ?? st.value, valueKey: sample(st.quantity), gradKey: gradKey(st.quantity), gradNote: multi && sol.parameterNames.includes(st.quantity) ? ` (the whole batch's; the line below is sample 1's part)` : "" });
  }
  return steps;
}
