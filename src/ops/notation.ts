// How an op prints in worked solutions and symbolic answers: in terminal text, in LaTeX and in
// nabla's own expression language (so every printed formula can be parsed back and evaluated).
// Each op file declares its notation beside its rule; the printers in src/symbolic read only this.

/** Binding strength of an infix operator: sums bind loosest, products tighter. */
export type Precedence = 1 | 2;

/** The printed form of one op application, with its attributes already resolved. */
export type Notation =
  /** a + b, a − b, a · b, a @ b; `transposed` marks operands read transposed (a · bᵀ). */
  | { readonly kind: "infix"; readonly text: string; readonly latex: string; readonly expr: string; readonly prec: Precedence; readonly transposed?: readonly [boolean, boolean] }
  /** −a. */
  | { readonly kind: "neg" }
  /** a / b (a fraction in LaTeX). */
  | { readonly kind: "div" }
  /** aⁿ for a number n. */
  | { readonly kind: "power"; readonly exponent: number }
  /** [a > b]: 1 where the relation holds, 0 elsewhere (Iverson bracket). */
  | { readonly kind: "relation"; readonly text: string; readonly latex: string; readonly expr: string }
  /** aᵀ: the last two axes swapped. */
  | { readonly kind: "transpose" }
  /** where(c, a, b); with a zero branch, printed as a product with the Iverson bracket (Knuth's strong zero: [false]·x = 0 for any x). */
  | { readonly kind: "select" }
  /** Movement that changes no number a reader sees (reshape, broadcast): printed as its input. */
  | { readonly kind: "same" }
  /** f(a, b, params…): σ(s), log(x), clamp(x, −100, ∞). */
  | { readonly kind: "call"; readonly text: string; readonly latex: string; readonly expr: string; readonly params: readonly number[]; readonly withArguments?: boolean };

/** f(args) printed as `text`, `latex` and (in the expression language) `expr`. */
export function call(text: string, latex = `\\operatorname{${text}}`, expr = text, params: readonly number[] = []): Notation {
  return { kind: "call", text, latex, expr, params };
}

/**
 * An image op's call (convolution, pooling and their gradients): the numbers line shows the call on
 * its arguments' numbers, as the operands were written (any rank), since its value alone says little.
 */
export function imageCall(name: string, params: readonly number[]): Notation {
  return { kind: "call", text: name, latex: `\\operatorname{${name.replaceAll("_", "\\_")}}`, expr: name, params, withArguments: true };
}

/** An infix operator. */
export function infix(text: string, latex: string, expr: string, prec: Precedence): Notation {
  return { kind: "infix", text, latex, expr, prec };
}

/** An Iverson bracket [a ⋈ b]. */
export function relation(text: string, latex: string, expr: string): Notation {
  return { kind: "relation", text, latex, expr };
}

export const same: Notation = { kind: "same" };
