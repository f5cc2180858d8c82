// Chain-rule steps of one sample: for every quantity, the terms ∂L/∂q = Σ (upstream · local),
// evaluated on the engine. With mutations, the same walk computes gradients independently of autograd.
import type { Tensor } from "../autograd/tensor.js";
import { sumTo } from "../autograd/tensor.js";
import { noGrad } from "../autograd/mode.js";
import { freeVariables, type Statement } from "../expr/ast.js";
import { derivative, type Mutations, toG, vjp } from "./chain.js";
import { evalG, type Scope } from "./evaluate-g.js";
import { add, type G, num } from "./gexpr.js";

/** One use of a quantity: its contribution through statement `via`. */
export interface Term {
  readonly via: string;
  readonly g: G;
}

/** ∂L/∂quantity as a sum of terms, with its value. */
export interface ChainStep {
  readonly quantity: string;
  readonly terms: readonly Term[];
  readonly value: Tensor;
}

/** A local partial derivative ∂of/∂wrt (scalar statements, or the diagonal of an elementwise function). */
export interface LocalDerivative {
  readonly of: string;
  readonly wrt: string;
  readonly g: G;
  readonly value: Tensor;
}

/** Quantities in the order their gradients are computed: statements from last to first, then leaves. */
export function backwardOrder(program: readonly Statement[], leaves: readonly string[]): string[] {
  const defined = program.map((s) => s.name);
  const out = [...defined].reverse().slice(1);
  const reads = new Set(program.flatMap((s) => freeVariables(s.expr)));
  for (const l of leaves) if (reads.has(l) && !defined.includes(l)) out.push(l);
  return out;
}

/** Terms of ∂L/∂q for every quantity q in `order`. */
export function chainTerms(program: readonly Statement[], order: readonly string[], m: Mutations = {}, rootGrad?: G): Map<string, Term[]> {
  const terms = new Map<string, Term[]>(order.map((q) => [q, []]));
  const root = program.at(-1)?.name;
  for (const s of program) {
    // NOTE: ∂L/∂L = 1 is folded in, so the first step reads "∂L/∂ŷ = 2(ŷ − y)", not "1 · 2(ŷ − y)".
    const up: G = s.name === root && rootGrad !== undefined ? rootGrad : { k: "grad", name: s.name };
    for (const c of vjp(s.expr, up, m)) terms.get(c.name)?.push({ via: s.name, g: c.g });
  }
  return terms;
}

/**
 * Evaluates chain-rule steps. `grads` must hold ∂L/∂(last statement); gradients of the other
 * quantities are taken from `grads` when present (autograd) or computed here, in order (mutations).
 */
export function evaluateSteps(
  order: readonly string[], terms: ReadonlyMap<string, Term[]>, values: ReadonlyMap<string, Tensor>, grads: Map<string, Tensor>, dtype: Scope["dtype"], compute: boolean,
): ChainStep[] {
  const scope: Scope = { values, grads, dtype };
  return order.map((q) => {
    const ts = terms.get(q) ?? [];
    const like = values.get(q);
    let value: Tensor;
    if (compute || !grads.has(q)) {
      const parts = ts.map((t) => evalG(t.g, scope));
      value = noGrad(() => {
        const total = parts.reduce<Tensor | null>((acc, p) => (acc === null ? p : acc.add(p)), null);
        const zero = like === undefined ? evalG(num(0), scope) : like.mul(0);
        const sum = total ?? zero;
        if (like === undefined) return sum;
        if (sum.size === like.size) return sum.reshape(like.shape);
        return sum.size < like.size ? sum.expand(like.shape) : sumTo(sum, like.shape);
      });
      grads.set(q, value.detach());
    } else {
      value = grads.get(q) as Tensor;
    }
    return { quantity: q, terms: ts, value };
  });
}

/** The sum of a step's terms as one expression. */
export function termSum(ts: readonly Term[]): G {
  return ts.reduce<G>((acc, t) => add(acc, t.g), num(0));
}

/** Local derivatives worth reporting: scalar statements, and elementwise functions of one variable. */
export function localDerivatives(program: readonly Statement[], values: ReadonlyMap<string, Tensor>, dtype: Scope["dtype"], m: Mutations = {}): LocalDerivative[] {
  const scope: Scope = { values, grads: new Map(), dtype };
  const out: LocalDerivative[] = [];
  for (const s of program) {
    const v = values.get(s.name);
    if (v === undefined) continue;
    if (s.expr.kind === "call" && s.expr.args[0]?.kind === "var") {
      const p = s.expr.args[1]?.kind === "num" ? s.expr.args[1].value : undefined;
      const d = derivative(s.expr.fn, toG(s.expr.args[0]), p, m);
      if (d !== null) {
        out.push({ of: s.name, wrt: s.expr.args[0].name, g: d, value: evalG(d, scope) });
        continue;
      }
    }
    if (v.size !== 1) continue;
    const byVar = new Map<string, G>();
    for (const c of vjp(s.expr, num(1), m)) byVar.set(c.name, add(byVar.get(c.name) ?? num(0), c.g));
    for (const [wrt, g] of byVar) {
      const w = values.get(wrt);
      if (w === undefined || w.size !== 1) continue;
      try {
        out.push({ of: s.name, wrt, g, value: evalG(g, scope) });
      } catch {
        // local derivatives that need upstream gradients are skipped
      }
    }
  }
  return out;
}
