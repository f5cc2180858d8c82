// The expression language's syntax tree.

/** Where a piece of source text sits (1-based line and column; offsets into the source). */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "@";

/** An expression node. */
export type Expr =
  | { readonly kind: "num"; readonly value: number; readonly span: Span }
  | { readonly kind: "var"; readonly name: string; readonly span: Span }
  | { readonly kind: "neg"; readonly arg: Expr; readonly span: Span }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: "transpose"; readonly arg: Expr; readonly span: Span }
  | { readonly kind: "array"; readonly items: readonly Expr[]; readonly span: Span };

/** `name = expr`. */
export interface Statement {
  readonly name: string;
  readonly expr: Expr;
  readonly span: Span;
  /** The statement's source text (right-hand side). */
  readonly text: string;
}

/** Variables an expression reads, in first-use order. */
export function freeVariables(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case "num": break;
    case "var": if (!out.includes(e.name)) out.push(e.name); break;
    case "neg": case "transpose": freeVariables(e.arg, out); break;
    case "binary": freeVariables(e.left, out); freeVariables(e.right, out); break;
    case "call": e.args.forEach((a) => freeVariables(a, out)); break;
    case "array": e.items.forEach((a) => freeVariables(a, out)); break;
  }
  return out;
}
