// Prints a statement's right-hand side as written (the forward formulas of a worked solution), with
// the ops' own names for functions the registry defines: sigmoid(s) prints as σ(s).
import type { Expr } from "../expr/ast.js";
import { registry } from "../ops/registry.js";
import { displayName, exactNumber, formatNumber, type Rounding, type Target } from "./names.js";

const calls = new Map(registry.flatMap((op) => (op.call === null ? [] : [[op.call.name, op.call] as const])));

/** How a function name prints: the op's own notation where the registry defines it. */
function fnName(name: string, target: Target): string {
  if (target === "expr") return name;
  const n = calls.get(name)?.notation([]);
  if (n?.kind === "call") return target === "latex" ? n.latex : n.text;
  return target === "latex" ? `\\operatorname{${name}}` : name;
}

/** The source formula in the target notation. */
export function printExpr(e: Expr, target: Target, rounding: Rounding): string {
  const L = target === "latex", X = target === "expr";
  const paren = (s: string): string => (L ? `\\left(${s}\\right)` : `(${s})`);
  const rec = (x: Expr): [string, number] => {
    switch (x.kind) {
      case "num": return [X ? exactNumber(x.value) : formatNumber(x.value, rounding), 5];
      case "var": return [displayName(x.name, target), 5];
      case "neg": return [`${L || X ? "-" : "−"}${wrap(x.arg, 3)}`, 3];
      case "transpose": return [`${wrap(x.arg, 5)}${X ? "'" : L ? "^{\\top}" : "ᵀ"}`, 5];
      case "array": return [`[${x.items.map((i) => rec(i)[0]).join(", ")}]`, 5];
      case "call": {
        const args = x.args.map((a) => rec(a)[0]).join(", ");
        const f = fnName(x.fn, target);
        return [L ? `${f}\\left(${args}\\right)` : `${f}(${args})`, 5];
      }
      case "binary": {
        switch (x.op) {
          case "+": return [`${wrap(x.left, 1)} + ${wrap(x.right, 2)}`, 1];
          case "-": return [`${wrap(x.left, 1)} ${L || X ? "-" : "−"} ${wrap(x.right, 2)}`, 1];
          case "*": return [`${wrap(x.left, 2)}${L ? " \\cdot " : X ? " * " : " · "}${wrap(x.right, 3)}`, 2];
          case "/": return L ? [`\\frac{${rec(x.left)[0]}}{${rec(x.right)[0]}}`, 5] : [`${wrap(x.left, 2)} / ${wrap(x.right, 3)}`, 2];
          case "@": return [`${wrap(x.left, 2)}${L ? " " : " @ "}${wrap(x.right, 3)}`, 2];
          case "^": {
            const n = x.right.kind === "num" ? x.right.value : null;
            if (!L && !X && (n === 2 || n === 3)) return [`${wrap(x.left, 5)}${n === 2 ? "²" : "³"}`, 4];
            return [`${wrap(x.left, 5)}^${L ? `{${rec(x.right)[0]}}` : wrap(x.right, 5)}`, 4];
          }
        }
      }
    }
    return ["?", 5];
  };
  const wrap = (x: Expr, min: number): string => { const [s, p] = rec(x); return p < min ? paren(s) : s; };
  return rec(e)[0];
}
