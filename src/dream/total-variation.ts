// Total variation of an image: the anisotropic one that dream reports and measures, and the smoothed
// one whose gradient autograd gives (the prior of dream's tvWeight and the energy of its polish phase).
import { full } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import { ValueError } from "../tensor/errors.js";

/** Anisotropic total variation of [1, 1, H, W] (or any NCHW) pixels. */
export function totalVariation(x: Tensor): number {
  const [n = 1, c = 1, H = 0, W = 0] = x.shape;
  let tv = 0;
  const d = x.data;
  for (let p = 0; p < n * c; p++) {
    const o = p * H * W;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const v = d[o + i * W + j] as number;
        if (i + 1 < H) tv += Math.abs((d[o + (i + 1) * W + j] as number) - v);
        if (j + 1 < W) tv += Math.abs((d[o + i * W + j + 1] as number) - v);
      }
    }
  }
  return tv;
}

/**
 * The smoothed anisotropic total variation Σ √((x(i+1, j) − x(i, j))² + ε) + √((x(i, j+1) − x(i, j))² + ε)
 * over H and W of an NCHW tensor, built from the engine's ops so that autograd gives its gradient
 * (the prior of dream's tvWeight). ε > 0 keeps it differentiable where neighbours are equal; as
 * ε → 0 it tends to the anisotropic total variation (totalVariation).
 */
export function smoothTotalVariation(x: Tensor, eps: number): Tensor {
  if (x.shape.length !== 4) throw new ValueError(`smoothTotalVariation takes an NCHW tensor, got shape [${x.shape.join(", ")}].`, { op: "smoothTotalVariation" });
  if (!(eps > 0 && Number.isFinite(eps))) throw new ValueError(`smoothTotalVariation needs ε > 0, got ${eps}.`, { op: "smoothTotalVariation" });
  const H = x.shape[2] ?? 0, W = x.shape[3] ?? 0;
  const term = (d: Tensor): Tensor => d.mul(d).add(eps).sqrt().sum();
  const parts: Tensor[] = [];
  if (H > 1) parts.push(term(x.slice(null, null, [1, H], null).sub(x.slice(null, null, [0, H - 1], null))));
  if (W > 1) parts.push(term(x.slice(null, null, null, [1, W]).sub(x.slice(null, null, null, [0, W - 1]))));
  return parts.reduce((a, b) => a.add(b), full([], 0, { dtype: x.dtype }));
}
