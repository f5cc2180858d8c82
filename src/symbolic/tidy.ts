// Algebraic tidying for formulas meant to be read (`nabla derive`): the scalar constants of a
// product collected into one leading number, and signs pulled out (−(c·x) → (−c)·x). Unlike the
// worked solutions' display rules these change rounding, so every tidied formula is rebuilt with the
// ops (its value recomputed) and checked against autograd by its caller.
import type { Functional } from "../ops/types.js";
import { printSym } from "./print.js";
import type { Sym } from "./sym.js";

function constantValue(s: Sym, memo: Map<Sym, number | null>): number | null {
  const known = memo.get(s);
  if (known !== undefined) return known;
  const n = s.node;
  const isConst = s.value.size === 1 && (n.kind === "const" || (n.kind === "op" && n.inputs.every((x) => constantValue(x, memo) !== null)));
  const v = isConst ? (s.value.data[0] as number) : null;
  memo.set(s, v);
  return v;
}

// A formula's identity for cancelling: named intermediates (ỹ for σ(s2)) read as what they name.
const unalias = (s: Sym): Sym => (s.node.kind === "alias" ? unalias(s.node.inner) : s);
const key = (s: Sym): string => {
  const n = unalias(s).node;
  if (n.kind !== "op") return printSym(unalias(s), { target: "expr", rounding: "exact", numbers: false, name: (x) => x });
  return `${n.op}(${n.inputs.map(key).join(",")})`;
};
const op = (s: Sym, name: string): Sym[] | null => (s.node.kind === "op" && s.node.op === name ? [...s.node.inputs] : null);

/**
 * Cancels a denominator against factors of the same product: N / max(a·b, ε) · a · b → N. This is
 * BCE's derivative meeting σ′ (σ(s)(1 − σ(s)) against p(1 − p)); exact wherever a·b ≥ ε, which the
 * caller's check at random points confirms.
 */
function cancel(factors: Sym[], F: Functional<Sym>): void {
  for (let i = 0; i < factors.length; i++) {
    const d = op(factors[i] as Sym, "div");
    if (d === null) continue;
    const [num, den] = d as [Sym, Sym];
    const inner = op(den, "maximum")?.[0] ?? den;
    const parts = op(inner, "mul");
    if (parts === null) continue;
    const want = parts.map(key);
    const at = want.map((k) => factors.findIndex((f, j) => j !== i && key(f) === k));
    if (at.some((j) => j < 0) || new Set(at).size !== at.length) continue;
    factors[i] = num;
    for (const j of [...at].sort((a, b) => b - a)) factors.splice(j, 1);
    return cancel(factors, F);
  }
}

/** c and X of c·X (1 and s when s is not such a product). */
function splitConstant(s: Sym): [number, Sym] {
  const n = s.node;
  if (n.kind !== "op" || n.notation.kind !== "infix" || n.notation.expr !== "*") return [1, s];
  const [a, b] = n.inputs;
  if (a !== undefined && b !== undefined && a.node.kind === "const" && a.value.size === 1 && b.shape.length === s.shape.length) return [a.value.data[0] as number, b];
  return [1, s];
}

// x in the shape of `like` (reshape when only size-1 axes differ, else broadcast).
function fit(x: Sym, like: Sym, F: Functional<Sym>): Sym {
  if (x.shape.length === like.shape.length && x.shape.every((d, i) => d === like.shape[i])) return x;
  return x.value.size === like.value.size ? F.reshape(x, like.shape) : F.expand(x, like.shape);
}

/** `s` with the constants of every product collected (a new formula with the same value up to rounding). */
export function tidy(root: Sym, F: Functional<Sym>): Sym {
  const consts = new Map<Sym, number | null>();
  const done = new Map<Sym, Sym>();
  const isMul = (s: Sym): boolean => s.node.kind === "op" && s.node.notation.kind === "infix" && s.node.notation.expr === "*";
  const isNeg = (s: Sym): boolean => s.node.kind === "op" && s.node.notation.kind === "neg";
  const rec = (s: Sym): Sym => {
    const known = done.get(s);
    if (known !== undefined) return known;
    const n = s.node;
    let out = s;
    if (n.kind === "op" && constantValue(s, consts) === null) {
      if (isMul(s) || isNeg(s)) {
        let c = 1;
        const factors: Sym[] = [];
        const collect = (x: Sym): void => {
          const v = constantValue(x, consts);
          const xn = x.node;
          if (v !== null) c *= v;
          else if (xn.kind === "op" && xn.op === "expand" && xn.inputs[0] !== undefined && constantValue(xn.inputs[0], consts) !== null) c *= constantValue(xn.inputs[0], consts) as number;
          else if (x.node.kind === "op" && (isMul(x) || isNeg(x))) {
            if (isNeg(x)) c = -c;
            x.node.inputs.forEach(collect);
          } else factors.push(rec(x));
        };
        collect(s);
        cancel(factors, F);
        const rest = factors.length === 0 ? null : factors.reduce((a, b) => F.mul(a, b));
        const signed = rest === null ? null : c === 1 ? rest : c === -1 ? F.neg(rest) : F.mul(c, rest);
        out = signed === null ? s : fit(signed, s, F);
      } else if (n.notation.kind === "infix" && n.notation.expr === "@") {
        // (c·A)·(d·B) = (c·d)·(A·B): constants leave matrix products
        const [ca, a] = splitConstant(rec(n.inputs[0] as Sym)), [cb, b] = splitConstant(rec(n.inputs[1] as Sym));
        const product = n.remake([a, b]);
        out = ca * cb === 1 ? product : fit(F.mul(ca * cb, product), s, F);
      } else {
        out = n.remake(n.inputs.map(rec));
      }
    }
    done.set(s, out);
    return out;
  };
  return rec(root);
}
