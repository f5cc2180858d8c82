// Function transforms shaped like torch.autograd.functional: Jacobians, Hessians, Jacobian-vector
// and vector-Jacobian products of functions of several tensors, built on the one reverse walk.
import { AutogradError, ShapeError } from "../tensor/errors.js";
import { fmt, shapesEqual } from "../tensor/shape.js";
import { zeros, zerosLike } from "./creation.js";
import { gradients } from "./grad.js";
import { isGradEnabled, withGradMode } from "./mode.js";
import { Tensor } from "./tensor.js";
import { concat } from "./tensor-functions.js";

type Fn = (...xs: Tensor[]) => Tensor;

// Leaves for the arguments (inputs already in a graph stay, so transforms nest).
function leaves(xs: readonly Tensor[]): { vars: Tensor[]; nested: boolean } {
  const nested = isGradEnabled() && xs.some((x) => x.requiresGrad);
  return { vars: xs.map((x) => (x.requiresGrad && nested ? x : new Tensor(x.data, x.shape, true))), nested };
}

// ∂⟨v, y⟩/∂vars, zeros where y does not depend on a variable.
function pullback(y: Tensor, vars: readonly Tensor[], v: Tensor, createGraph: boolean): Tensor[] {
  if (!y.requiresGrad) return vars.map((x) => zerosLike(x));
  return gradients(y, vars, { gradOut: v, createGraph, retainGraph: true });
}

function checkCotangent(op: string, y: Tensor, v: Tensor): void {
  if (!shapesEqual(y.shape, v.shape)) throw new ShapeError(`v must have the output's shape ${fmt(y.shape)}, got ${fmt(v.shape)}.`, { op, shapes: [y.shape, v.shape] });
}

/** f(xs) and vᵀJ: the gradient of ⟨v, f⟩ with respect to every input (torch.autograd.functional.vjp). */
export function vjp(f: Fn, xs: readonly Tensor[], v: Tensor): { output: Tensor; vjp: Tensor[] } {
  return withGradMode(true, () => {
    const { vars, nested } = leaves(xs);
    const y = f(...vars);
    checkCotangent("vjp", y, v);
    return { output: nested ? y : y.detach(), vjp: pullback(y, vars, v, nested) };
  });
}

/**
 * f(xs) and J·v, the directional derivative along vs (one tangent per input). NOTE: computed by
 * differentiating the vector-Jacobian product, which is linear in its cotangent u: J v = ∂⟨Jᵀu, v⟩/∂u.
 */
export function jvp(f: Fn, xs: readonly Tensor[], vs: readonly Tensor[]): { output: Tensor; jvp: Tensor } {
  if (vs.length !== xs.length) throw new ShapeError(`needs one tangent per input, got ${vs.length} for ${xs.length}.`, { op: "jvp" });
  vs.forEach((v, i) => {
    const x = xs[i] as Tensor;
    if (!shapesEqual(v.shape, x.shape)) throw new ShapeError(`tangent ${i} must have its input's shape ${fmt(x.shape)}, got ${fmt(v.shape)}.`, { op: "jvp" });
  });
  return withGradMode(true, () => {
    const { vars, nested } = leaves(xs);
    const y = f(...vars);
    const u = new Tensor(zerosLike(y).data, y.shape, true);
    const g = pullback(y, vars, u, true);
    const dot = g.map((gi, i) => gi.mul(vs[i] as Tensor).sum()).reduce((a, b) => a.add(b));
    const jv = dot.requiresGrad ? gradients(dot, [u], { createGraph: nested })[0] as Tensor : zerosLike(y);
    return { output: nested ? y : y.detach(), jvp: jv };
  });
}

/** ∂f/∂xᵢ for every input, each of shape [...f.shape, ...xᵢ.shape] (torch.autograd.functional.jacobian). */
export function jacobian(f: Fn, xs: readonly Tensor[]): Tensor[] {
  return withGradMode(true, () => {
    const { vars, nested } = leaves(xs);
    const y = f(...vars);
    if (y.size === 0) return vars.map((x) => zeros([...y.shape, ...x.shape], { dtype: x.dtype }));
    const rows = Array.from({ length: y.size }, (_, k) => {
      const e = zerosLike(y);
      e.set(Array.from({ length: y.size }, (_, j) => (j === k ? 1 : 0)));
      return pullback(y, vars, e, nested);
    });
    return vars.map((x, i) => {
      const parts = rows.map((r) => (r[i] as Tensor).reshape([1, x.size]));
      return concat(parts).reshape([...y.shape, ...x.shape]);
    });
  });
}

/** Second derivatives of a scalar function: H[i][j] = ∂²f/∂xᵢ∂xⱼ of shape [...xᵢ.shape, ...xⱼ.shape]. */
export function hessian(f: Fn, xs: readonly Tensor[]): Tensor[][] {
  return withGradMode(true, () => {
    const { vars } = leaves(xs);
    const y = f(...vars);
    if (y.size !== 1) throw new AutogradError(`needs a function with one output, got shape ${fmt(y.shape)}.`, { op: "hessian", hint: "Reduce it with sum() or mean(), or use jacobian()." });
    const g = pullback(y, vars, new Tensor(zerosLike(y).data.map(() => 1), y.shape), true);
    return g.map((gi) => jacobian(() => gi, vars).map((h, j) => h.reshape([...gi.shape, ...(vars[j] as Tensor).shape])));
  });
}
