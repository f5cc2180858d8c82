import { broadcastShapes, broadcastStrides, type Shape, shapesEqual, sizeOf } from "../tensor/shape.js";
import type { Backend } from "../backend/backend.js";

import { defineOp, type RawTensor } from "./types.js";

// x's numbers at `shape`: itself when it already has the shape or is one number (select broadcasts those)
function broadcastTo(x: RawTensor, shape: Shape, be: Backend): RawTensor["data"] {
  if (x.data.length === 1 || shapesEqual(x.shape, shape)) return x.data;
  const out = be.alloc(x.dtype, sizeOf(shape));
  be.kernels.gather(x.data, 0, broadcastStrides(x.shape, shape), shape, out);
  return out;
}

/** where(cond, a, b): a where cond ≠ 0, else b, with broadcasting. */
export const where = defineOp<null, 3>({
  name: "where",
  arity: 3,
  elementwise: true,
  notation: () => ({ kind: "select" }),
  call: { name: "where", attrs: () => null },
  shape(inputs) {
    const [c, a, b] = inputs;
    return broadcastShapes("where", c.shape, broadcastShapes("where", a.shape, b.shape));
  },
  forward([c, a, b], _attrs, outShape, be) {
    const n = sizeOf(outShape);
    const out = be.allocEmpty !== undefined ? be.allocEmpty(a.dtype, n) : be.alloc(a.dtype, n); // every number written
    be.kernels.select(broadcastTo(c, outShape, be), broadcastTo(a, outShape, be), broadcastTo(b, outShape, be), out);
    return out;
  },
  // ∂/∂a = [cond], ∂/∂b = [¬cond]; the condition gets none
  backward(g, { inputs: [c], needs }, F) {
    return [null, needs[1] === true ? F.where(c, g, 0) : null, needs[2] === true ? F.where(c, 0, g) : null];
  },
  samples: [
    { shapes: [[4], [4], [4]], attrs: null, domains: [[-1, 1], [-2, 2], [-2, 2]], constant: [0] },
    { shapes: [[2, 3], [3], [2, 1]], attrs: null, domains: [[-1, 1], [-2, 2], [-2, 2]], constant: [0] },
  ],
});
