// Activation functions (torch.nn.functional names in camelCase) on autograd tensors; composite ones
// come from ops/composites.ts, shared with the explicit layers.
import { F, type Tensor } from "../autograd/tensor.js";
import * as C from "../ops/composites.js";
import { ValueError } from "../tensor/errors.js";

export const relu = (x: Tensor): Tensor => x.relu();
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
export const tanh = (x: Tensor): Tensor => x.tanh();
export const softmax = (x: Tensor, o: { readonly axis?: number } = {}): Tensor => C.softmax(x, o.axis ?? -1, F);
export const logSoftmax = (x: Tensor, o: { readonly axis?: number } = {}): Tensor => x.logSoftmax(o.axis ?? -1);

/** x for x > 0, slope·x otherwise; derivative at 0 is the slope (PyTorch's convention). */
export const leakyRelu = (x: Tensor, o: { readonly negativeSlope?: number } = {}): Tensor => C.leakyRelu(x, o.negativeSlope ?? 0.01, F);

/** GELU: x·Φ(x) exactly (erf form), or PyTorch's tanh approximation. */
export function gelu(x: Tensor, o: { readonly approximate?: "none" | "tanh" } = {}): Tensor {
  const a = o.approximate ?? "none";
  if (a !== "none" && a !== "tanh") throw new ValueError(`approximate must be "none" or "tanh", got ${JSON.stringify(a)}.`, { op: "gelu" });
  return C.gelu(x, a, F);
}

/** log(1 + e^{βx})/β, linear above the threshold (PyTorch). */
export const softplus = (x: Tensor, o: { readonly beta?: number; readonly threshold?: number } = {}): Tensor => x.softplus(o.beta ?? 1, o.threshold ?? 20);

/** x for x > 0, α(eˣ − 1) otherwise; derivative at 0 is α (PyTorch). */
export const elu = (x: Tensor, o: { readonly alpha?: number } = {}): Tensor => C.elu(x, o.alpha ?? 1, F);

/** x·σ(x) (a.k.a. swish). */
export const silu = (x: Tensor): Tensor => C.silu(x, F);
