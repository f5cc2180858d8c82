// Batched matrix product on the last two axes, batch axes broadcast. 1-d operands are promoted by the
// public matmul (which reshapes around this primitive), as in NumPy/PyTorch. Either operand may be
// read transposed (`transA`, `transB`: its last two axes swapped), which the GEMM kernel does through
// strides, so `x Wᵀ` (nn.Linear) and the backward products Aᵀ·G, G·Bᵀ never copy a transpose.
import type { Shape } from "../tensor/shape.js";
import { ShapeError } from "../tensor/errors.js";
import { broadcastShapes, broadcastStrides, fmt, sizeOf } from "../tensor/shape.js";

import { infix } from "./notation.js";
import { defineOp } from "./types.js";

/** Which operands the product reads transposed; null (the plain A·B) is both false. */
export type MatmulAttrs = { readonly transA: boolean; readonly transB: boolean } | null;

// rows and columns of the last two axes, swapped when read transposed
const rows = (s: Shape, t: boolean): number => s[s.length - (t ? 1 : 2)] as number;
const cols = (s: Shape, t: boolean): number => s[s.length - (t ? 2 : 1)] as number;
const show = (s: Shape, t: boolean): string => `${fmt(s)}${t ? "ᵀ" : ""}`;

export const matmul = defineOp<MatmulAttrs, 2>({
  name: "matmul",
  arity: 2,
  notation: (attrs) => ({ ...infix("·", "\\,", "@", 2), transposed: [attrs?.transA ?? false, attrs?.transB ?? false] }),
  shape(inputs, attrs) {
    const a = inputs[0].shape, b = inputs[1].shape;
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    if (a.length < 2 || b.length < 2) throw new ShapeError(`operands must be at least 2-d here, got ${fmt(a)} @ ${fmt(b)}.`, { op: "matmul", shapes: [a, b] });
    const m = rows(a, ta), k = cols(a, ta), k2 = rows(b, tb), n = cols(b, tb);
    if (k !== k2) {
      const hint = n === k ? "Did you mean b.transpose()?" : m === k2 ? "Did you mean a.transpose()?" : undefined;
      throw new ShapeError(`inner dimensions must match, got ${show(a, ta)} @ ${show(b, tb)} (${k} ≠ ${k2}).`, { op: "matmul", shapes: [a, b], ...(hint === undefined ? {} : { hint }) });
    }
    if (a.length === 2 && b.length === 2) return [m, n];
    const batch = broadcastShapes("matmul", a.slice(0, -2), b.slice(0, -2));
    return [...batch, m, n];
  },
  forward([a, b], attrs, outShape, be) {
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    const M = rows(a.shape, ta), K = cols(a.shape, ta), N = cols(b.shape, tb);
    // element (i, k) of A at i·sai + k·sak; (k, j) of B at k·sbk + j·sbj
    const sai = ta ? 1 : K, sak = ta ? M : 1, sbk = tb ? 1 : N, sbj = tb ? K : 1;
    const out = be.alloc(a.dtype, sizeOf(outShape));
    if (outShape.length === 2) {
      be.kernels.gemm(M, N, K, a.data, 0, sai, sak, b.data, 0, sbk, sbj, out, 0, true);
      return out;
    }
    const batch = outShape.slice(0, -2);
    const nb = sizeOf(batch);
    if (nb === 1) {
      be.kernels.gemm(M, N, K, a.data, 0, sai, sak, b.data, 0, sbk, sbj, out, 0, true);
      return out;
    }
    const sa = broadcastStrides(a.shape.slice(0, -2), batch), sb = broadcastStrides(b.shape.slice(0, -2), batch);
    for (let t = 0; t < nb; t++) {
      let ao = 0, bo = 0, r = t;
      for (let d = batch.length - 1; d >= 0; d--) {
        const dim = batch[d] as number, i = r % dim;
        r = Math.floor(r / dim);
        ao += i * (sa[d] as number);
        bo += i * (sb[d] as number);
      }
      be.kernels.gemm(M, N, K, a.data, ao * M * K, sai, sak, b.data, bo * K * N, sbk, sbj, out, t * M * N, true);
    }
    return out;
  },
  // C = op(A)·op(B), op = ᵀ where flagged: ∂/∂A = G·op(B)ᵀ (its transpose if A is read transposed),
  // ∂/∂B = op(A)ᵀ·G (likewise); each written as one product with flags, e.g. for C = A·B:
  // ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G; for C = A·Bᵀ: ∂/∂A = G·B, ∂/∂B = Gᵀ·A. (The engine sums broadcast batch axes.)
  backward(g, { inputs: [a, b], attrs, needs }, F) {
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    const mm = (x: typeof g, y: typeof g, transA: boolean, transB: boolean): typeof g =>
      F.apply(matmul, [x, y], transA || transB ? { transA, transB } : null);
    const gA = !needs[0] ? null : ta ? mm(b, g, tb, true) : mm(g, b, false, !tb);
    const gB = !needs[1] ? null : tb ? mm(g, a, true, ta) : mm(a, g, !ta, false);
    return [gA, gB];
  },
  samples: [
    { shapes: [[2, 3], [3, 4]], attrs: null },
    { shapes: [[1, 1], [1, 1]], attrs: null },
    { shapes: [[2, 2, 3], [3, 2]], attrs: null },
    { shapes: [[2, 1, 2, 3], [3, 3, 1]], attrs: null },
    { shapes: [[2, 3], [4, 3]], attrs: { transA: false, transB: true } },
    { shapes: [[3, 2], [3, 4]], attrs: { transA: true, transB: false } },
    { shapes: [[3, 2], [4, 3]], attrs: { transA: true, transB: true } },
    { shapes: [[2, 1, 3, 2], [3, 4, 3]], attrs: { transA: true, transB: true } },
  ],
});
