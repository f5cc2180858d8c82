// Activation functions (torch.nn.functional names in camelCase), composed from primitives.
import { where } from "../autograd/functional.js";
import type { Tensor } from "../autograd/tensor.js";
import { ValueError } from "../tensor/errors.js";

export const relu = (x: Tensor): Tensor => x.relu();
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
export const tanh = (x: Tensor): Tensor => x.tanh();
export const softmax = (x: Tensor, o: { readonly axis?: number } = {}): Tensor => x.softmax(o.axis ?? -1);
export const logSoftmax = (x: Tensor, o: { readonly axis?: number } = {}): Tensor => x.logSoftmax(o.axis ?? -1);

/** x for x > 0, slope·x otherwise; derivative at 0 is the slope (PyTorch's convention). */
export function leakyRelu(x: Tensor, o: { readonly negativeSlope?: number } = {}): Tensor {
  const slope = o.negativeSlope ?? 0.01;
  return where(x.gt(0), x, x.mul(slope));
}

/** GELU: x·Φ(x) exactly (erf form), or PyTorch's tanh approximation. */
export function gelu(x: Tensor, o: { readonly approximate?: "none" | "tanh" } = {}): Tensor {
  const approx = o.approximate ?? "none";
  if (approx === "tanh") {
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approx !== "none") throw new ValueError(`approximate must be "none" or "tanh", got ${JSON.stringify(approx)}.`, { op: "gelu" });
  // 0.5·x·(1 + erf(x/√2))
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}

/** log(1 + e^{βx})/β, linear above the threshold (PyTorch). */
export function softplus(x: Tensor, o: { readonly beta?: number; readonly threshold?: number } = {}): Tensor {
  return x.softplus(o.beta ?? 1, o.threshold ?? 20);
}

/** x for x > 0, α(eˣ − 1) otherwise; derivative at 0 is α (PyTorch). */
export function elu(x: Tensor, o: { readonly alpha?: number } = {}): Tensor {
  const alpha = o.alpha ?? 1;
  // NOTE: exp of clamp(x, ≤0) keeps the unused branch finite, so its zero gradient is not 0·∞ = NaN.
  return where(x.gt(0), x, x.clamp(null, 0).exp().sub(1).mul(alpha));
}

/** x·σ(x) (a.k.a. swish). */
export const silu = (x: Tensor): Tensor => x.mul(x.sigmoid());
