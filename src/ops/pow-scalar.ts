import { ValueError } from "../tensor/errors.js";
import { checkDomain } from "./checks.js";
import { type Notation } from "./notation.js";
import { defineOp } from "./types.js";

/** xᵖ for a number p. */
export const powScalar = defineOp<{ readonly exponent: number }, 1>({
  name: "powScalar",
  arity: 1,
  elementwise: true,
  notation: ({ exponent }): Notation => ({ kind: "power", exponent }),
  shape(inputs, { exponent }) {
    if (typeof exponent !== "number" || Number.isNaN(exponent)) throw new ValueError(`exponent must be a number, got ${String(exponent)}.`, { op: "pow" });
    return inputs[0].shape;
  },
  checkValues([x], { exponent }) {
    if (!Number.isInteger(exponent)) checkDomain("pow", x, (v) => v < 0, `a negative base needs an integer exponent (got ${exponent})`);
  },
  forward([x], { exponent }, _s, be) {
    const out = be.alloc(x.dtype, x.data.length);
    be.kernels.unary("powScalar", x.data, out, [exponent]);
    return out;
  },
  // ∂xᵖ/∂x = p·xᵖ⁻¹; exactly 0 for p = 0, even where x or gradOut is ±∞ or NaN (a 0/1 mask times 0, as PyTorch)
  backward(g, { inputs: [x], attrs: { exponent } }, F) {
    if (exponent === 0) return [F.mul(F.eq(g, g), 0)];
    return [F.mul(g, F.mul(exponent, F.powScalar(x, exponent - 1)))];
  },
  samples: [
    { shapes: [[4]], attrs: { exponent: 2 } },
    { shapes: [[2, 3]], attrs: { exponent: 3 } },
    { shapes: [[3]], attrs: { exponent: 0.5 }, domains: [[0.3, 2]] },
    { shapes: [[3]], attrs: { exponent: -1.5 }, domains: [[0.3, 2]] },
  ],
});
