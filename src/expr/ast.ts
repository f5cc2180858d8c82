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

/** The direct subexpressions of a node, left to right. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "num": case "var": return [];
    case "neg": case "transpose": return [e.arg];
    case "binary": return [e.left, e.right];
    case "call": return e.args;
    case "array": return e.items;
  }
}

/** Variables an expression reads, in first-use order. */
export function freeVariables(e: Expr, out: string[] = []): string[] {
  // NOTE: an explicit stack, not recursion: `x1 + x2 + … + x10000` is a left-deep tree as deep as
  // it is long. The Set keeps the walk linear.
  const seen = new Set(out);
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    if (x.kind === "var" && !seen.has(x.name)) {
      seen.add(x.name);
      out.push(x.name);
    }
    const kids = children(x);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Expr);
  }
  return out;
}

/**
 * Names the language refuses (`__proto__`, `constructor`, `toString` …): every JavaScript object
 * has them, so a lookup by name in a plain object would find a built-in instead of nothing.
 */
export function isReservedName(name: string): boolean {
  return name in Object.prototype;
}

/** Why a reserved name is refused. */
export function reservedNameMessage(name: string): string {
  return `'${name}' is a reserved name (every JavaScript object has a property of that name), choose another name`;
}

/** Whether an expression squares something: squared error, or `^2`. */
export function squares(e: Expr): boolean {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    if (x.kind === "call" && x.fn === "squarederror") return true;
    if (x.kind === "binary" && x.op === "^" && x.right.kind === "num" && x.right.value === 2) return true;
    stack.push(...children(x));
  }
  return false;
}
