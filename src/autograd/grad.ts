// Functional differentiation: gradients of a function, without touching any `.grad`.
import { AutogradError } from "../tensor/errors.js";
import { zerosLike } from "./creation.js";
import { backward } from "./engine.js";
import { isGradEnabled } from "./mode.js";
import { seedGrad, Tensor } from "./tensor.js";

/** ∂outputs/∂inputs as a vector-Jacobian product (like torch.autograd.grad). */
export function gradients(
  output: Tensor,
  inputs: readonly Tensor[],
  options: { readonly gradOut?: Tensor; readonly createGraph?: boolean; readonly retainGraph?: boolean } = {},
): Tensor[] {
  for (const x of inputs) {
    if (!x.requiresGrad) throw new AutogradError("every input must require grad.", { op: "gradients", hint: "Create it with {requiresGrad: true}." });
  }
  const opts = { createGraph: options.createGraph ?? false, ...(options.retainGraph === undefined ? {} : { retainGraph: options.retainGraph }) };
  const gs = backward(output, seedGrad(output, options.gradOut), opts, inputs) ?? [];
  // NOTE: an input no gradient reached gets exact zeros (as PyTorch's materialize_grads), never x·0,
  // which is NaN where x is ±∞ or NaN.
  return inputs.map((x, i) => gs[i] ?? zerosLike(x));
}

type Fn = (...args: Tensor[]) => Tensor;

// Leaves for the arguments; arguments already in a graph stay (nested grad) and switch on createGraph.
function prepare(args: readonly Tensor[]): { vars: Tensor[]; nested: boolean } {
  const nested = isGradEnabled() && args.some((a) => a.requiresGrad);
  const vars = args.map((a) => (a.requiresGrad && isGradEnabled() ? a : new Tensor(a.data, a.shape, true)));
  return { vars, nested };
}

/**
 * `grad(f)` returns a function giving ∂f/∂(first argument); `grad(f, [0, 2])` returns a list.
 * f must return a one-element tensor. Nests: `grad(grad(f))` is the second derivative.
 */
export function grad(f: Fn, argnums?: number): (...args: Tensor[]) => Tensor;
export function grad(f: Fn, argnums: readonly number[]): (...args: Tensor[]) => Tensor[];
export function grad(f: Fn, argnums?: number | readonly number[]): (...args: Tensor[]) => Tensor | Tensor[];
export function grad(f: Fn, argnums: number | readonly number[] = 0): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, argnums);
  return (...args) => vg(...args)[1];
}

/** Like grad, but returns [f(args), gradients]. */
export function valueAndGrad(f: Fn, argnums?: number): (...args: Tensor[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, argnums: readonly number[]): (...args: Tensor[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, argnums?: number | readonly number[]): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]];
export function valueAndGrad(f: Fn, argnums: number | readonly number[] = 0): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  return (...args) => {
    const { vars, nested } = prepare(args);
    const out = f(...vars);
    const idx = typeof argnums === "number" ? [argnums] : argnums;
    const wrt = idx.map((i) => {
      const v = vars[i];
      if (v === undefined) throw new AutogradError(`argnums ${i} is out of range for ${vars.length} argument(s).`, { op: "grad" });
      return v;
    });
    // f may not depend on its arguments at all: the gradient is then zero.
    const gs = out.requiresGrad ? gradients(out, wrt, { createGraph: nested }) : wrt.map((w) => zerosLike(w));
    return [nested ? out : out.detach(), typeof argnums === "number" ? (gs[0] as Tensor) : gs];
  };
}
