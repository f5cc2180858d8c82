// Elementwise binary primitives with NumPy broadcasting. The engine sums each gradient back down
// to its input's shape (unbroadcasting), so rules here work at the broadcast output shape.
// NOTE: like unary.ts, these share a file: each is a kernel name plus its two partial derivatives.
import type { BinaryKernel } from "../kernels/index.js";
import { broadcastShapes, sizeOf } from "../tensor/shape.js";
import { checkDomain } from "./checks.js";
import { call, infix, type Notation, relation } from "./notation.js";
import { type BackwardCtx, defineOp, type Domain, type Functional, type RawTensor, type Sample, type TensorLike } from "./types.js";

type Rule = <T extends TensorLike>(g: T, a: T, b: T, y: T, F: Functional<T>, needs: readonly boolean[]) => readonly (T | null)[];

const BROADCAST_CASES: readonly (readonly (readonly number[])[])[] = [
  [[4], [4]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
  [[], [2, 2]],
  [[3, 1, 2], [4, 1]],
];

function binaryOp(name: string, kernel: BinaryKernel, notation: Notation, rule: Rule | null, domains?: readonly Domain[], check?: (a: RawTensor, b: RawTensor) => void, extra: readonly Sample<null>[] = []) {
  const samples: Sample<null>[] = BROADCAST_CASES.map((shapes) => (domains === undefined ? { shapes, attrs: null } : { shapes, attrs: null, domains }));
  samples.push(...extra);
  return defineOp<null, 2>({
    name,
    arity: 2,
    elementwise: true,
    notation: () => notation,
    call: { name, attrs: () => null },
    ...(rule === null ? { nondiff: true } : {}),
    ...(check === undefined ? {} : { checkValues: ([a, b]: readonly [RawTensor, RawTensor]) => check(a, b) }),
    shape(inputs) {
      return broadcastShapes(name, inputs[0].shape, inputs[1].shape);
    },
    forward([a, b], _attrs, outShape, be) {
      // NOTE: the size of an input whose shape the output has (no shape indexing)
      const n = outShape === a.shape ? a.data.length : outShape === b.shape ? b.data.length : sizeOf(outShape);
      // every number of the result is written by the kernel: a reused buffer need not be zeroed
      const out = be.allocEmpty !== undefined ? be.allocEmpty(a.dtype, n) : be.alloc(a.dtype, n);
      be.kernels.binary(kernel, a.data, a.shape, b.data, b.shape, out, outShape);
      return out;
    },
    backward<T extends TensorLike>(g: T, { inputs, output, needs }: BackwardCtx<T, null>, F: Functional<T>) {
      return rule === null ? [null, null] : rule(g, inputs[0] as T, inputs[1] as T, output, F, needs);
    },
    samples: rule === null ? [] : samples,
  });
}

// ∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1
export const add = binaryOp("add", "add", infix("+", "+", "+", 1), (g) => [g, g]);
// ∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1
export const sub = binaryOp("sub", "sub", infix("−", "-", "-", 1), (g, _a, _b, _y, F, needs) => [g, needs[1] === true ? F.neg(g) : null]);
// ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
export const mul = binaryOp("mul", "mul", infix("·", "\\cdot", "*", 2), (g, a, b, _y, F, needs) => [
  needs[0] === true ? F.mul(g, b) : null, needs[1] === true ? F.mul(g, a) : null,
]);
// ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²
export const div = binaryOp("div", "div", { kind: "div" }, (g, a, b, _y, F, needs) => [
  needs[0] === true ? F.div(g, b) : null, needs[1] === true ? F.neg(F.div(F.mul(g, a), F.powScalar(b, 2))) : null,
], [[-2, 2], [0.5, 2]]);
// ∂aᵇ/∂a = b·aᵇ⁻¹ for any base (0 where b = 0), as PyTorch
function powGradBase<T extends TensorLike>(g: T, a: T, b: T, F: Functional<T>): T {
  const b0 = F.eq(b, 0); // NOTE: base 1 there keeps 0⁻¹ = ∞ out of the unselected branch
  return F.where(b0, 0, F.mul(g, F.mul(b, F.pow(F.where(b0, 1, a), F.sub(b, 1)))));
}
// ∂aᵇ/∂b = aᵇ·ln a; as PyTorch: 0 where a = 0 ≤ b, NaN where a < 0 (ln a undefined), −∞·g where a = 0 > b
function powGradExponent<T extends TensorLike>(g: T, a: T, b: T, y: T, F: Functional<T>): T {
  const pos = F.gt(a, 0);
  const lnA = F.where(pos, F.log(F.where(pos, a, 1)), F.where(F.lt(a, 0), NaN, -Infinity));
  return F.where(F.mul(F.eq(a, 0), F.ge(b, 0)), 0, F.mul(g, F.mul(y, lnA)));
}
export const pow = binaryOp("pow", "pow", call("pow"), (g, a, b, y, F, needs) => [
  needs[0] === true ? powGradBase(g, a, b, F) : null,
  needs[1] === true ? powGradExponent(g, a, b, y, F) : null,
], [[0.3, 2], [-2, 2]], (a, b) => {
  if (b.data.some((v) => !Number.isInteger(v))) checkDomain("pow", a, (v) => v < 0, "a negative base needs integer exponents");
}, [ // negative bases with (constant) integer exponents
  { shapes: [[4], [4]], attrs: null, domains: [[-2, 2], [3, 3]], constant: [1] },
  { shapes: [[2, 3], [3]], attrs: null, domains: [[-2, -0.3], [2, 2]], constant: [1] },
]);
// Selects (never multiplies by a 0/1 mask, so an ∞ or NaN gradOut elsewhere gives 0): g where the
// first input wins, g/2 on ties, 0 where it loses.
function pick<T extends TensorLike>(g: T, wins: T, tie: T, F: Functional<T>): T {
  return F.where(tie, F.mul(g, 0.5), F.where(wins, g, 0));
}
// ∂max(a,b)/∂a = [a > b] + ½[a = b] (PyTorch splits ties evenly)
export const maximum = binaryOp("maximum", "maximum", call("max", "\\max", "maximum"), (g, a, b, _y, F, needs) => {
  const tie = F.eq(a, b);
  return [needs[0] === true ? pick(g, F.gt(a, b), tie, F) : null, needs[1] === true ? pick(g, F.gt(b, a), tie, F) : null];
});
// ∂min(a,b)/∂a = [a < b] + ½[a = b]
export const minimum = binaryOp("minimum", "minimum", call("min", "\\min", "minimum"), (g, a, b, _y, F, needs) => {
  const tie = F.eq(a, b);
  return [needs[0] === true ? pick(g, F.gt(b, a), tie, F) : null, needs[1] === true ? pick(g, F.gt(a, b), tie, F) : null];
});

// Comparisons give constant 0/1 tensors.
export const gt = binaryOp("gt", "gt", relation(">", ">", "gt"), null);
export const ge = binaryOp("ge", "ge", relation("≥", "\\ge", "ge"), null);
export const lt = binaryOp("lt", "lt", relation("<", "<", "lt"), null);
export const le = binaryOp("le", "le", relation("≤", "\\le", "le"), null);
export const eq = binaryOp("eq", "eq", relation("=", "=", "eq"), null);
