// Gradient expressions: the symbolic side of a chain-rule step (what the worked solution prints),
// evaluated on the engine so every printed step is checked against autograd.
import type { Expr } from "../expr/ast.js";

/** A symbolic expression over forward values, upstream gradients and source subexpressions. */
export type G =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "var"; readonly name: string }
  | { readonly k: "grad"; readonly name: string }
  | { readonly k: "src"; readonly e: Expr; readonly text: string }
  | { readonly k: "neg"; readonly a: G }
  | { readonly k: "add" | "sub" | "mul" | "div"; readonly a: G; readonly b: G }
  | { readonly k: "pow"; readonly a: G; readonly n: number }
  | { readonly k: "fn"; readonly fn: string; readonly args: readonly G[]; readonly param?: number }
  | { readonly k: "T"; readonly a: G }
  /** ∂/∂A of A @ B given upstream g: printed g·Bᵀ (an outer product for vectors). */
  | { readonly k: "mmA"; readonly g: G; readonly a: G; readonly b: G }
  /** ∂/∂B of A @ B given upstream g: printed Aᵀ·g. */
  | { readonly k: "mmB"; readonly g: G; readonly a: G; readonly b: G }
  /** Broadcast g to the shape of `like` (gradient of a reduction). */
  | { readonly k: "bcast"; readonly g: G; readonly like: G; readonly scale: "sum" | "mean" };

export const num = (v: number): G => ({ k: "num", v });
export const one: G = num(1);

const isNum = (g: G, v: number): boolean => g.k === "num" && g.v === v;

export function neg(a: G): G {
  if (a.k === "num") return num(-a.v);
  if (a.k === "neg") return a.a;
  return { k: "neg", a };
}

export function mul(a: G, b: G): G {
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (a.k === "num" && b.k === "num") return num(a.v * b.v);
  if (isNum(a, -1)) return neg(b);
  if (isNum(b, -1)) return neg(a);
  if (a.k === "neg") return neg(mul(a.a, b));
  if (b.k === "neg") return neg(mul(a, b.a));
  if (b.k === "div" && isNum(b.a, 1)) return div(a, b.b); // a · (1/b) = a/b
  return { k: "mul", a, b };
}

export function div(a: G, b: G): G {
  if (isNum(b, 1)) return a;
  if (a.k === "neg") return neg(div(a.a, b));
  return { k: "div", a, b };
}

export function add(a: G, b: G): G {
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (b.k === "neg") return sub(a, b.a);
  return { k: "add", a, b };
}

export function sub(a: G, b: G): G {
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  return { k: "sub", a, b };
}

export function pow(a: G, n: number): G {
  if (n === 1) return a;
  if (n === 0) return one;
  return { k: "pow", a, n };
}

export const fn = (name: string, args: readonly G[], param?: number): G =>
  param === undefined ? { k: "fn", fn: name, args } : { k: "fn", fn: name, args, param };

/** a @ b as written in the source. */
export const matmul = (a: G, b: G): G => ({ k: "fn", fn: "matmul", args: [a, b] });
