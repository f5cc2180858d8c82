// Batched matrix product on the last two axes, batch axes broadcast. 1-d operands are promoted here,
// as in NumPy/PyTorch (the expression language's matmul still reshapes around a ≥ 2-d product). Either operand may be
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

// The product of the promoted operands: a 1-d A is the row [1, k], a 1-d B the column [k, 1] (never read
// transposed), and the promoted axes are dropped from the result, as in NumPy/PyTorch. The 1-d cases are
// the primitive's own, so `x·w` of vectors records one node, not three reshapes around a 2-d product.
function vectorOperandError(a: Shape, b: Shape): ShapeError {
  return new ShapeError(`a 1-d operand cannot be read transposed, got ${fmt(a)} @ ${fmt(b)}.`, { op: "matmul", shapes: [a, b] });
}

export const matmul = defineOp<MatmulAttrs, 2>({
  name: "matmul",
  arity: 2,
  notation: (attrs) => ({ ...infix("·", "\\,", "@", 2), transposed: [attrs?.transA ?? false, attrs?.transB ?? false] }),
  shape(inputs, attrs) {
    const a = inputs[0].shape, b = inputs[1].shape;
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    const na = a.length, nb = b.length;
    if (na === 0 || nb === 0) throw new ShapeError(`operands must be at least 1-d, got ${fmt(a)} @ ${fmt(b)}.`, { op: "matmul", shapes: [a, b], hint: "Use mul() for scalars." });
    if ((na === 1 && ta) || (nb === 1 && tb)) throw vectorOperandError(a, b);
    const m = na === 1 ? 1 : rows(a, ta), k = na === 1 ? (a[0] as number) : cols(a, ta);
    const k2 = nb === 1 ? (b[0] as number) : rows(b, tb), n = nb === 1 ? 1 : cols(b, tb);
    if (k !== k2) {
      const hint = n === k && nb >= 2 ? "Did you mean b.transpose()?" : m === k2 && na >= 2 ? "Did you mean a.transpose()?" : undefined;
      throw new ShapeError(`inner dimensions must match, got ${show(a, ta)} @ ${show(b, tb)} (${k} ≠ ${k2}).`, { op: "matmul", shapes: [a, b], ...(hint === undefined ? {} : { hint }) });
    }
    if (na <= 2 && nb <= 2) return na === 1 ? (nb === 1 ? [] : [n]) : nb === 1 ? [m] : [m, n];
    const batch = broadcastShapes("matmul", na === 1 ? [] : a.slice(0, -2), nb === 1 ? [] : b.slice(0, -2));
    return na === 1 ? [...batch, n] : nb === 1 ? [...batch, m] : [...batch, m, n];
  },
  forward([a, b], attrs, outShape, be) {
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    const va = a.shape.length === 1, vb = b.shape.length === 1;
    const M = va ? 1 : rows(a.shape, ta), K = va ? (a.shape[0] as number) : cols(a.shape, ta), N = vb ? 1 : cols(b.shape, tb);
    // element (i, k) of A at i·sai + k·sak; (k, j) of B at k·sbk + j·sbj
    const sai = ta ? 1 : K, sak = ta ? M : 1, sbk = tb ? 1 : N, sbj = tb ? K : 1;
    // the batch axes: those of the result before its row and column axes (a vector operand has none)
    const nBatch = outShape.length - (va ? 0 : 1) - (vb ? 0 : 1);
    // every number of the result is written by the product (with K = 0 it stays zeros)
    const size = nBatch === 0 ? M * N : sizeOf(outShape);
    const out = K > 0 && be.allocEmpty !== undefined ? be.allocEmpty(a.dtype, size) : be.alloc(a.dtype, size);
    if (nBatch === 0) {
      be.kernels.gemm(M, N, K, a.data, 0, sai, sak, b.data, 0, sbk, sbj, out, 0, true);
      return out;
    }
    const batch = outShape.slice(0, nBatch);
    const nb = sizeOf(batch);
    if (nb === 1) {
      be.kernels.gemm(M, N, K, a.data, 0, sai, sak, b.data, 0, sbk, sbj, out, 0, true);
      return out;
    }
    const sa = broadcastStrides(va ? [] : a.shape.slice(0, -2), batch), sb = broadcastStrides(vb ? [] : b.shape.slice(0, -2), batch);
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
  // With a vector operand the same products, on the promoted operands: for a·b of two vectors (G a
  // scalar) ∂/∂a = G b, ∂/∂b = G a; for a·B, ∂/∂a = G·op(B)ᵀ (a vector again) and ∂/∂B the outer
  // product of a and G; for A·b likewise; with batch axes, the promoted products, reshaped back.
  backward(g, { inputs: [a, b], attrs, needs }, F) {
    const ta = attrs?.transA ?? false, tb = attrs?.transB ?? false;
    const mm = (x: typeof g, y: typeof g, transA: boolean, transB: boolean): typeof g =>
      F.apply(matmul, [x, y], transA || transB ? { transA, transB } : null);
    const na = a.shape.length, nb = b.shape.length;
    if (na === 1 && nb === 1) return [needs[0] ? F.mul(g, b) : null, needs[1] ? F.mul(g, a) : null];
    const col = (v: typeof g): typeof g => F.reshape(v, [v.shape[0] as number, 1]);
    const row = (v: typeof g): typeof g => F.reshape(v, [1, v.shape[0] as number]);
    if (na === 1 && nb === 2) {
      // g: [n]; ∂/∂a = g·op(B)ᵀ; ∂/∂op(B) = a gᵀ (outer), transposed back when B is read transposed
      const gA = !needs[0] ? null : mm(g, b, false, !tb);
      const gB = !needs[1] ? null : tb ? mm(col(g), row(a), false, false) : mm(col(a), row(g), false, false);
      return [gA, gB];
    }
    if (nb === 1 && na === 2) {
      // g: [m]; ∂/∂op(A) = g bᵀ (outer), transposed back when A is read transposed; ∂/∂b = op(A)ᵀ·g
      const gA = !needs[0] ? null : ta ? mm(col(b), row(g), false, false) : mm(col(g), row(b), false, false);
      const gB = !needs[1] ? null : mm(a, g, !ta, false);
      return [gA, gB];
    }
    if (na >= 2 && nb >= 2) {
      const gA = !needs[0] ? null : ta ? mm(b, g, tb, true) : mm(g, b, false, !tb);
      const gB = !needs[1] ? null : tb ? mm(g, a, true, ta) : mm(a, g, !ta, false);
      return [gA, gB];
    }
    // a vector against a batch of matrices: the products of the promoted operands, summed over the
    // batch and reshaped back to the vector
    const gs = g.shape, nBatch = gs.length - 1;
    const a2 = na === 1 ? row(a) : a, b2 = nb === 1 ? col(b) : b;
    const g2 = F.reshape(g, na === 1 ? [...gs.slice(0, nBatch), 1, gs[nBatch] as number] : [...gs, 1]);
    const gA = !needs[0] ? null : ta ? mm(b2, g2, tb, true) : mm(g2, b2, false, !tb);
    const gB = !needs[1] ? null : tb ? mm(g2, a2, true, ta) : mm(a2, g2, !ta, false);
    const back = (x: typeof g | null, promoted: typeof g, v: typeof g): typeof g | null => x === null ? null : F.reshape(F.sumTo(x, promoted.shape), v.shape);
    return na === 1 ? [back(gA, a2, a), gB] : [gA, back(gB, b2, b)];
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
    { shapes: [[3], [3]], attrs: null },
    { shapes: [[3], [3, 2]], attrs: null },
    { shapes: [[2, 3], [3]], attrs: null },
    { shapes: [[3], [2, 3]], attrs: { transA: false, transB: true } },
    { shapes: [[3, 2], [3]], attrs: { transA: true, transB: false } },
    { shapes: [[3], [2, 3, 2]], attrs: null },
    { shapes: [[2, 2, 3], [3]], attrs: null },
    { shapes: [[3], [2, 2, 3]], attrs: { transA: false, transB: true } },
  ],
});
