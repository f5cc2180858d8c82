// The transpose of a formula with the transposes pushed to the leaves, as one writes matrix
// calculus by hand: (A·B)ᵀ = Bᵀ·Aᵀ, (A ± B)ᵀ = Aᵀ ± Bᵀ, (A ⊙ B)ᵀ = Aᵀ ⊙ Bᵀ, (Aᵀ)ᵀ = A, f(A)ᵀ = f(Aᵀ)
// for elementwise f, and a scalar is its own transpose. The result is built with the ops, so its
// value is computed (and checked) like any other formula.
import type { Functional } from "../ops/types.js";
import type { Sym } from "./sym.js";

const scalar = (s: Sym): boolean => s.value.size === 1;

/** sᵀ (the last two axes swapped), transposes pushed inward. */
export function transposed(s: Sym, F: Functional<Sym>): Sym {
  if (scalar(s) || s.shape.length < 2) return s;
  const n = s.node;
  if (n.kind !== "op") return F.transposeLast(s);
  const [a, b] = n.inputs;
  const kind = n.notation.kind;
  if (kind === "transpose" && a !== undefined) return a;
  if (kind === "infix" && n.notation.expr === "@" && a !== undefined && b !== undefined) {
    // (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ, where op(X) is X or Xᵀ as the product reads it
    const [ta, tb] = n.notation.transposed ?? [false, false];
    return F.matmul(tb ? b : transposed(b, F), ta ? a : transposed(a, F));
  }
  // elementwise: every input transposed (scalars and broadcast rows/columns alike)
  if (n.elementwise && n.inputs.every((x) => scalar(x) || x.shape.length === s.shape.length)) return n.remake(n.inputs.map((x) => transposed(x, F)));
  // a broadcast of a matrix: the broadcast of its transpose; a reshape that changes nothing: its input's transpose
  if (n.op === "expand" && a !== undefined && a.shape.length === 2) return F.expand(transposed(a, F), [...s.shape].reverse());
  if (n.op === "reshape" && a !== undefined && a.shape.length === 2 && a.shape.every((d, i) => d === s.shape[i])) return transposed(a, F);
  return F.transposeLast(s);
}
