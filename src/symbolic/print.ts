// Prints Syms by their ops' notations: the formula line (names) and the numbers line (the same
// arithmetic with every operand replaced by its value). Display simplification only drops what
// cannot change a number (·1, +0, −−x, x¹, reshapes) so the printed arithmetic stays exact.
import type { Notation } from "../ops/notation.js";
import { exactNumber, formatNumber, formatValue, type Rounding, type Target } from "./names.js";
import type { Sym } from "./sym.js";

/** How to print. */
export interface PrintOptions {
  readonly target: Target;
  /** Rounding of numbers ("exact": every digit, for formulas that must re-evaluate exactly). */
  readonly rounding: Rounding | "exact";
  /** Print values instead of names, keeping the arithmetic. */
  readonly numbers: boolean;
  /** The printed name of a leaf (a quantity, or the gradient of one). */
  name(leaf: string, grad: boolean): string;
  /**
   * Matrix-calculus notation for formulas over symbolic sizes (`nabla derive`): a broadcast scalar
   * prints as c·𝟙, an elementwise product of vectors as a product with diag(·), and only scalar
   * constants are folded (a folded vector would fix its size).
   */
  readonly matrix?: boolean;
  /** In the expression language with `matrix`: how a size prints (a dimension's name), so formulas hold at any size. */
  readonly dim?: (size: number) => string;
}

type D =
  | { readonly k: "sym"; readonly s: Sym }
  | { readonly k: "op"; readonly n: Notation; readonly args: readonly D[]; readonly s: Sym };

const isNum = (d: D, v: number): boolean => d.k === "sym" && d.s.node.kind !== "leaf" && d.s.node.kind !== "alias" && d.s.value.data.every((x) => x === v);

/** True for formulas of numbers only (no leaf; an alias keeps its name): printed as their value. */
function constantFormula(s: Sym, memo: Map<Sym, boolean>): boolean {
  const known = memo.get(s);
  if (known !== undefined) return known;
  const n = s.node;
  const c = n.kind === "const" || (n.kind === "op" && n.inputs.every((x) => constantFormula(x, memo)));
  memo.set(s, c);
  return c;
}

/** The display tree of a Sym, with exact no-op operations removed and constant parts folded. */
function simplify(s: Sym, scalarsOnly: boolean, memo = new Map<Sym, boolean>()): D {
  const node = s.node;
  if (node.kind !== "op" || ((!scalarsOnly || s.value.size === 1) && constantFormula(s, memo))) return { k: "sym", s };
  const args = node.inputs.map((x) => simplify(x, scalarsOnly, memo));
  const [a, b] = args;
  const n = node.notation;
  const same = (d: D | undefined): D | null => (d !== undefined && d.s.shape.length === s.shape.length && d.s.shape.every((x, i) => x === s.shape[i]) ? d : null);
  if (n.kind === "same") return same(a) ?? { k: "op", n, args, s };
  if (n.kind === "neg" && a?.k === "op" && a.n.kind === "neg") return same(a.args[0]) ?? { k: "op", n, args, s };
  if (n.kind === "power" && n.exponent === 1) return same(a) ?? { k: "op", n, args, s };
  if (a !== undefined && b !== undefined) {
    if (n.kind === "infix" && n.expr === "*") return (isNum(a, 1) ? same(b) : isNum(b, 1) ? same(a) : isNum(a, -1) ? negated(b, s) : isNum(b, -1) ? negated(a, s) : null) ?? { k: "op", n, args, s };
    if (n.kind === "infix" && n.expr === "+") return (isNum(a, 0) ? same(b) : isNum(b, 0) ? same(a) : null) ?? { k: "op", n, args, s };
    if (n.kind === "infix" && n.expr === "-") return (isNum(b, 0) ? same(a) : null) ?? { k: "op", n, args, s };
    if (n.kind === "div") return (isNum(b, 1) ? same(a) : null) ?? { k: "op", n, args, s };
  }
  return { k: "op", n, args, s };
}

const sameShape = (a: Sym, b: Sym): boolean => a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

// −x in place of (−1)·x (exact: negation is sign-symmetric).
function negated(d: D | undefined, s: Sym): D | null {
  if (d === undefined || d.s.shape.length !== s.shape.length || !d.s.shape.every((x, i) => x === s.shape[i])) return null;
  return { k: "op", n: { kind: "neg" }, args: [d], s };
}

// Precedence: sums 1, products 2, negation 3, powers 4, atoms 5.
type Out = readonly [text: string, prec: number];

/** Prints a Sym. */
export function printSym(root: Sym, o: PrintOptions): string {
  const L = o.target === "latex", X = o.target === "expr";
  const paren = (s: string): string => (L ? `\\left(${s}\\right)` : `(${s})`);
  const transposeMark = X ? "'" : L ? "^{\\top}" : "ᵀ";
  const value = (s: Sym): Out => {
    const v = s.value;
    const text = formatValue(v, o.rounding, o.target);
    return v.shape.length === 0 && (v.data[0] as number) < 0 || text.startsWith("-") || text.startsWith("−") ? [text, 2.5] : [text, 5];
  };
  const M = o.matrix === true && !X && !o.numbers;
  // a ⊙ b of vectors in matrix notation: a·diag(b) for a row a, diag(b)·a for a column.
  const diagProduct = (a: D, b: string): Out => {
    const diag = L ? `\\operatorname{diag}\\left(${b}\\right)` : `diag(${b})`;
    const dot = L ? " \\cdot " : " · ";
    return a.s.shape[0] === 1 ? [`${wrapD(a, 2)}${dot}${diag}`, 2] : [`${diag}${dot}${wrapD(a, 2)}`, 2];
  };
  // a broadcast scalar: c·𝟙 (𝟙ᵀ for a row)
  const ones = (c: D, s: Sym): Out => {
    const one = `${L ? "\\mathbf{1}" : "𝟙"}${s.shape[0] === 1 && s.shape.length === 2 ? (L ? "^{\\top}" : "ᵀ") : ""}`;
    return isNum(c, 1) ? [one, 5] : [`${wrapD(c, 2)}${L ? " \\cdot " : " · "}${one}`, 2];
  };
  const wrapD = (d: D, min: number): string => { const [s, p] = rec(d); return p < min ? paren(s) : s; };
  const rec = (d: D, top = false): Out => {
    if (d.k === "sym") {
      const node = d.s.node;
      if (node.kind === "leaf" && !o.numbers) return [o.name(node.name, node.grad), 5];
      if (node.kind === "alias" && !o.numbers) return [o.name(node.name, false), 5];
      if (node.kind !== "leaf" && node.kind !== "alias" && d.s.value.size === 1 && o.rounding !== "exact" && !X) {
        const x = d.s.value.data[0] as number;
        return [formatNumber(x, o.rounding), x < 0 ? 2.5 : 5];
      }
      return value(d.s);
    }
    const n = d.n;
    const arg = (i: number): D => d.args[i] as D;
    const wrap = (i: number, min: number): string => { const [s, p] = rec(arg(i)); return p < min ? paren(s) : s; };
    switch (n.kind) {
      case "infix": {
        const hadamard = n.expr === "*" && arg(0).s.value.size > 1 && arg(1).s.value.size > 1;
        if (hadamard && M) return diagProduct(arg(0), rec(arg(1))[0]);
        const sym = X ? n.expr : hadamard ? (L ? "\\odot" : "⊙") : L ? n.latex : n.text;
        const [t0, t1] = n.transposed ?? [false, false];
        const side = (i: number, min: number, t: boolean): string => (t ? `${wrap(i, 5)}${transposeMark}` : wrap(i, min));
        return [`${side(0, n.prec, t0)} ${sym} ${side(1, n.prec + 1, t1)}`, n.prec];
      }
      case "neg": return [`${L || X ? "-" : "−"}${wrap(0, 3)}`, 2.5];
      case "div": return L ? [`\\frac{${rec(arg(0))[0]}}{${rec(arg(1))[0]}}`, 5] : [`${wrap(0, 2)} / ${wrap(1, 3)}`, 2];
      case "power": {
        const e = n.exponent;
        if (X) return [`${wrap(0, 5)} ^ ${e < 0 ? `(${exactNumber(e)})` : exactNumber(e)}`, 4];
        const en = o.rounding === "exact" ? exactNumber(e) : formatNumber(e, o.rounding);
        if (L) return [`{${wrap(0, 5)}}^{${en}}`, 4];
        return [`${wrap(0, 5)}${e === 2 ? "²" : e === 3 ? "³" : `^${e < 0 ? `(${en})` : en}`}`, 4];
      }
      case "transpose": return [`${wrap(0, 5)}${transposeMark}`, 5];
      case "same":
        if (M && arg(0).s.value.size === 1 && d.s.value.size > 1) return ones(arg(0), d.s);
        if (X && o.matrix === true && arg(0).s.value.size === 1 && d.s.value.size > 1) return [`(${rec(arg(0))[0]} * ones(${d.s.shape.map((n) => o.dim?.(n) ?? String(n)).join(", ")}))`, 5];
        // a reshape that changes the shape (1-d vectors promoted for a matrix product) stays explicit
        if (X && o.matrix === true && !top && arg(0).s.value.size === d.s.value.size && !sameShape(arg(0).s, d.s)) return [`reshape(${rec(arg(0))[0]}${d.s.shape.map((n) => `, ${o.dim?.(n) ?? String(n)}`).join("")})`, 5];
        return o.numbers && !top ? value(d.s) : rec(arg(0), top);
      case "select": {
        const zeroElse = isNum(arg(2), 0), zeroThen = isNum(arg(1), 0);
        if (X || (!zeroElse && !zeroThen)) return [`where(${d.args.map((x) => rec(x)[0]).join(", ")})`, 5];
        if (o.numbers && zeroThen) return value(d.s);
        const c = rec(arg(0))[0];
        const mask = zeroElse ? c : L ? `\\neg ${c}` : `¬${c}`;
        if (M && arg(zeroElse ? 1 : 2).s.value.size > 1) return diagProduct(arg(zeroElse ? 1 : 2), mask);
        return [`${wrap(zeroElse ? 1 : 2, 2)} ${L ? "\\cdot" : "·"} ${mask}`, 2];
      }
      case "relation":
        if (o.numbers) return value(d.s);
        if (X) return [`${n.expr}(${rec(arg(0))[0]}, ${rec(arg(1))[0]})`, 5];
        return [L ? `\\mathbb{1}[${rec(arg(0))[0]} ${n.latex} ${rec(arg(1))[0]}]` : `[${rec(arg(0))[0]} ${n.text} ${rec(arg(1))[0]}]`, 5];
      case "call": {
        if (o.numbers && n.withArguments !== true) return value(d.s);
        const params = n.params.map((p) => (X || o.rounding === "exact" ? exactNumber(p) : formatNumber(p, o.rounding)).replace("∞", L ? "\\infty" : "∞"));
        // an image op reads operands of any rank, so a reshape of an operand prints as the operand
        const operand = (x: D): D => (o.numbers && x.k === "op" && x.n.kind === "same" && x.args[0] !== undefined && x.args[0].s.value.size === x.s.value.size ? operand(x.args[0]) : x);
        const args = [...d.args.map((x) => rec(n.withArguments === true ? operand(x) : x)[0]), ...params].join(", ");
        if (X) return [`${n.expr}(${args})`, 5];
        return [L ? `${n.latex}\\left(${args}\\right)` : `${n.text}(${args})`, 5];
      }
    }
  };
  return rec(simplify(root, o.matrix === true), true)[0];
}
