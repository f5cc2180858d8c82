// Symbols: the ops interpreted on printable formulas. A Sym is a formula (a leaf name, a constant,
// or an op applied to Syms, printed by the op's own notation) together with its value, computed by
// the engine as the formula is built. Running an op's backward rule on Syms therefore yields the
// printed chain-rule step and its number from one and the same rule.
import { Tensor } from "../autograd/tensor.js";
import type { WalkNode } from "../autograd/walk.js";
import { rawApply, rawConstant, rawScalar } from "../layers/tape.js";
import { makeFunctional } from "../ops/interpreter.js";
import type { Notation } from "../ops/notation.js";
import type { BackwardCtx, Functional, OpDef, TensorLike } from "../ops/types.js";
import type { DType } from "../tensor/dtype.js";

/** What a Sym is: a named leaf (a quantity, or the gradient of one), a constant, or an op application. */
export type SymNode =
  | { readonly kind: "leaf"; readonly name: string; readonly grad: boolean }
  | { readonly kind: "const" }
  | { readonly kind: "op"; readonly op: string; readonly notation: Notation; readonly inputs: readonly Sym[]; readonly elementwise: boolean; remake(inputs: readonly Sym[]): Sym }
  /** A named intermediate (`s = w'x + b`): printed by its name, differentiated as the identity. */
  | { readonly kind: "alias"; readonly name: string; readonly inner: Sym };

/** A formula with its value. */
export interface Sym extends TensorLike {
  readonly value: Tensor;
  readonly node: SymNode;
  /** True when the formula depends on a leaf (gradients flow into it). */
  readonly varies: boolean;
  /** The recorded application, for the reverse walk. */
  readonly walk: WalkNode<Sym> | null;
}

/** A backward rule, as op files write them: the vector-Jacobian product over any Functional. */
export type Rule = <T extends TensorLike>(gradOut: T, ctx: BackwardCtx<T, unknown>, F: Functional<T>) => readonly (T | null)[];

/** Replacement rules by op name: the checker's deliberate mistakes. */
export type RuleOverrides = ReadonlyMap<string, Rule>;

/** A leaf: the quantity `name` (or ∂L/∂name when `grad`) with its value. */
export function leaf(name: string, value: Tensor, grad = false): Sym {
  return { shape: value.shape, dtype: value.dtype, value, node: { kind: "leaf", name, grad }, varies: !grad, walk: null };
}

/** A constant (a number in a formula). */
export function constant(value: Tensor): Sym {
  return { shape: value.shape, dtype: value.dtype, value, node: { kind: "const" }, varies: false, walk: null };
}

/** The Functional on Syms; `overrides` replaces the backward rules of the ops it names. */
export function symbolic(overrides: RuleOverrides = new Map()): Functional<Sym> {
  const apply = <A>(op: OpDef<A>, inputs: readonly Sym[], attrs: A): Sym => {
    const raw = rawApply(op, inputs.map((x) => x.value), attrs);
    const value = new Tensor(raw.data, raw.shape);
    const varies = inputs.some((x) => x.varies);
    const needs = inputs.map((x) => x.varies);
    const override = overrides.get(op.name);
    const rule = (g: Sym, ctx: BackwardCtx<Sym, A>): readonly (Sym | null)[] =>
      (override === undefined ? op.backward(g, ctx, F) : override(g, ctx, F));
    const out: Sym = {
      shape: value.shape, dtype: value.dtype, value, varies,
      node: { kind: "op", op: op.name, notation: op.notation(attrs), inputs, elementwise: op.elementwise === true, remake: (xs) => apply(op, xs, attrs) },
      walk: varies && op.nondiff !== true ? { op: op.name, inputs, vjp: (g) => rule(g, { inputs, output: out, attrs, needs }) } : null,
    };
    return out;
  };
  const F: Functional<Sym> = makeFunctional<Sym>({
    apply,
    scalar: (v: number, dtype: DType) => {
      const r = rawScalar(v, dtype);
      return constant(new Tensor(r.data, r.shape));
    },
    constant: (values, shape, dtype) => {
      const r = rawConstant(values, shape, dtype);
      return constant(new Tensor(r.data, r.shape));
    },
  });
  return F;
}

/** `inner` under the name `name`: printed as the name, and the identity for the reverse walk. */
export function alias(name: string, inner: Sym): Sym {
  const out: Sym = {
    shape: inner.shape, dtype: inner.dtype, value: inner.value, varies: inner.varies,
    node: { kind: "alias", name, inner },
    walk: inner.varies ? { op: "alias", inputs: [inner], vjp: (g) => [g] } : null,
  };
  return out;
}
