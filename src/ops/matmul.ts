// Batched matrix product of ≥2-d tensors, batch axes broadcast. 1-d operands are promoted by the
// public matmul (which reshapes around this primitive), as in NumPy/PyTorch.
import { ShapeError } from "../tensor/errors.js";
import { broadcastShapes, broadcastStrides, fmt, sizeOf } from "../tensor/shape.js";

import { infix } from "./notation.js";
import { defineOp } from "./types.js";

export const matmul = defineOp<null, 2>({
  name: "matmul",
  arity: 2,
  notation: () => infix("·", "\\,", "@", 2),
  shape(inputs) {
    const a = inputs[0].shape, b = inputs[1].shape;
    if (a.length < 2 || b.length < 2) throw new ShapeError(`operands must be at least 2-d here, got ${fmt(a)} @ ${fmt(b)}.`, { op: "matmul", shapes: [a, b] });
    const m = a[a.length - 2] as number, k = a[a.length - 1] as number;
    const k2 = b[b.length - 2] as number, n = b[b.length - 1] as number;
    if (k !== k2) {
      const hint = b[b.length - 1] === k ? "Did you mean b.transpose()?" : a[a.length - 2] === k2 ? "Did you mean a.transpose()?" : undefined;
      throw new ShapeError(`inner dimensions must match, got ${fmt(a)} @ ${fmt(b)} (${k} ≠ ${k2}).`, { op: "matmul", shapes: [a, b], ...(hint === undefined ? {} : { hint }) });
    }
    const batch = broadcastShapes("matmul", a.slice(0, -2), b.slice(0, -2));
    return [...batch, m, n];
  },
  forward([a, b], _attrs, outShape, be) {
    const as = a.shape, bs = b.shape;
    const M = as[as.length - 2] as number, K = as[as.length - 1] as number, N = bs[bs.length - 1] as number;
    const batch = outShape.slice(0, -2);
    const out = be.alloc(a.dtype, sizeOf(outShape));
    const nb = sizeOf(batch);
    const sa = broadcastStrides(as.slice(0, -2), batch), sb = broadcastStrides(bs.slice(0, -2), batch);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < nb; t++) {
      let ao = 0, bo = 0, r = t;
      for (let d = batch.length - 1; d >= 0; d--) {
        const dim = batch[d] as number;
        idx[d] = r % dim;
        r = Math.floor(r / dim);
        ao += (idx[d] as number) * (sa[d] as number);
        bo += (idx[d] as number) * (sb[d] as number);
      }
      be.kernels.gemm(M, N, K, a.data, ao * M * K, K, 1, b.data, bo * K * N, N, 1, out, t * M * N);
    }
    return out;
  },
  // ∂(AB)/∂A = G Bᵀ, ∂(AB)/∂B = Aᵀ G  (the engine sums broadcast batch axes)
  backward(g, { inputs: [a, b], needs }, F) {
    return [needs[0] ? F.matmul(g, F.transposeLast(b)) : null, needs[1] ? F.matmul(F.transposeLast(a), g) : null];
  },
  samples: [
    { shapes: [[2, 3], [3, 4]], attrs: null },
    { shapes: [[1, 1], [1, 1]], attrs: null },
    { shapes: [[2, 2, 3], [3, 2]], attrs: null },
    { shapes: [[2, 1, 2, 3], [3, 3, 1]], attrs: null },
  ],
});
