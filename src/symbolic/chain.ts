// The chain rule of a program of statements, by interpreting the ops' own backward rules on Syms:
// each statement is run forward on symbols and differentiated by the engine's reverse walk, so
// every printed term is the op's rule and every number is that rule evaluated.
import { Tensor } from "../autograd/tensor.js";
import { reverseWalk } from "../autograd/walk.js";
import { freeVariables, type Statement } from "../expr/ast.js";
import { evaluateWith } from "../expr/evaluate.js";
import type { Functional } from "../ops/types.js";
import { allocate } from "../tensor/dtype.js";
import { constant, leaf, type Sym } from "./sym.js";

/** One use of a quantity: its gradient contribution through statement `via`. */
export interface Term {
  readonly via: string;
  readonly g: Sym;
}

/** ∂L/∂quantity as a sum of terms, with its value. */
export interface ChainStep {
  readonly quantity: string;
  readonly terms: readonly Term[];
  /** The sum of the terms as one formula (null when the quantity does not reach the loss). */
  readonly formula: Sym | null;
  readonly value: Tensor;
}

/** A local partial derivative ∂of/∂wrt (scalar statements, or the diagonal of an elementwise one). */
export interface LocalDerivative {
  readonly of: string;
  readonly wrt: string;
  readonly g: Sym;
  readonly value: Tensor;
}

/** The statement run forward on symbols: its output and a leaf per variable it reads. */
function forward(s: Statement, values: ReadonlyMap<string, Tensor>, F: Functional<Sym>): { out: Sym; leaves: Map<string, Sym> } {
  const leaves = new Map<string, Sym>();
  for (const v of freeVariables(s.expr)) {
    const t = values.get(v);
    if (t !== undefined) leaves.set(v, leaf(v, t));
  }
  const dtype = [...leaves.values()][0]?.dtype ?? "float64";
  return { out: evaluateWith(s.expr, leaves, F, s.text, dtype), leaves };
}

/** Gradient contributions of statement `s` to each variable it reads, given ∂L/∂(its output). */
export function statementVjp(s: Statement, values: ReadonlyMap<string, Tensor>, upstream: Sym, F: Functional<Sym>): Map<string, Sym> {
  const { out, leaves } = forward(s, values, F);
  const grads = reverseWalk<Sym>(out, upstream, (x) => x.walk, F, { follows: (x) => x.varies });
  const out_ = new Map<string, Sym>();
  for (const [name, l] of leaves) {
    const g = grads.get(l);
    if (g !== undefined) out_.set(name, g);
  }
  return out_;
}

/** Quantities in the order their gradients are computed: statements from last to first, then leaves. */
export function backwardOrder(program: readonly Statement[], leaves: readonly string[]): string[] {
  const defined = program.map((s) => s.name);
  const out = [...defined].reverse().slice(1);
  const reads = new Set(program.flatMap((s) => freeVariables(s.expr)));
  for (const l of leaves) if (reads.has(l) && !defined.includes(l)) out.push(l);
  return out;
}

const zerosLike = (t: Tensor): Tensor => new Tensor(allocate(t.dtype, t.size), t.shape);

/**
 * The chain-rule steps for every quantity in `order`. `seed` is ∂L/∂(last statement); when `folded`
 * it is printed as its number (∂L/∂L = 1 is not worth a factor), else as the symbol ∂L/∂root.
 */
export function chainSteps(program: readonly Statement[], order: readonly string[], values: ReadonlyMap<string, Tensor>, seed: Tensor, folded: boolean, F: Functional<Sym>): ChainStep[] {
  const terms = new Map<string, Term[]>();
  const totals = new Map<string, { formula: Sym | null; value: Tensor }>();
  const total = (q: string): { formula: Sym | null; value: Tensor } | undefined => {
    const known = totals.get(q);
    if (known !== undefined) return known;
    const like = values.get(q);
    if (like === undefined) return undefined;
    const ts = terms.get(q) ?? [];
    const formula = ts.length === 0 ? null : ts.map((t) => t.g).reduce((a, b) => F.add(a, b));
    const sum = { formula, value: formula === null ? zerosLike(like) : formula.value };
    totals.set(q, sum);
    return sum;
  };
  const root = program.at(-1)?.name;
  for (let i = program.length - 1; i >= 0; i--) {
    const s = program[i] as Statement;
    const g = s.name === root ? seed : total(s.name)?.value;
    if (g === undefined) continue;
    const upstream = s.name === root && folded ? constant(seed) : leaf(s.name, g, true);
    for (const [name, gs] of statementVjp(s, values, upstream, F)) {
      const list = terms.get(name) ?? [];
      list.push({ via: s.name, g: gs });
      terms.set(name, list);
    }
  }
  return order.flatMap((q) => {
    const t = total(q);
    return t === undefined ? [] : [{ quantity: q, terms: terms.get(q) ?? [], ...t }];
  });
}

/** Local derivatives worth reporting: scalar statements, and elementwise statements of one variable. */
export function localDerivatives(program: readonly Statement[], values: ReadonlyMap<string, Tensor>, F: Functional<Sym>): LocalDerivative[] {
  const out: LocalDerivative[] = [];
  for (const s of program) {
    const v = values.get(s.name);
    if (v === undefined) continue;
    // elementwise in its one variable (a1 = 3·relu(s1), ỹ = s2): the diagonal of the Jacobian
    const vars = freeVariables(s.expr).filter((n) => values.has(n));
    const only = vars.length === 1 ? vars[0] : undefined;
    const arg = only === undefined ? undefined : { kind: "var" as const, name: only };
    const wrt = only === undefined ? undefined : values.get(only);
    const elementwise = arg !== undefined && wrt !== undefined && wrt.size === v.size && v.size > 1 && isElementwise(forward(s, values, F).out);
    if (!elementwise && v.size !== 1) continue;
    const ones = new Tensor(allocate(v.dtype, v.size).fill(1), v.shape);
    for (const [name, g] of statementVjp(s, values, constant(ones), F)) {
      if (elementwise ? arg?.kind === "var" && name === arg.name : values.get(name)?.size === 1) out.push({ of: s.name, wrt: name, g, value: g.value });
    }
  }
  return out;
}

function isElementwise(s: Sym): boolean {
  const n = s.node;
  return n.kind !== "op" || (n.elementwise && n.inputs.every(isElementwise));
}
