// Elementwise unary primitives. NOTE: these share one file (one file per op elsewhere; ARCHITECTURE.md)
// because each is a kernel name plus a two-line derivative; ten near-identical files would repeat
// the same scaffolding. Each derivative still sits right under its forward.
import type { UnaryKernel } from "../kernels/index.js";
import { checkDomain } from "./checks.js";
import { call, type Notation } from "./notation.js";
import { type BackwardCtx, defineOp, type Domain, type Functional, type Sample, type TensorLike } from "./types.js";

type Rule = <T extends TensorLike>(g: T, x: T, y: T, F: Functional<T>) => T;

const SHAPES: readonly (readonly number[])[] = [[], [5], [2, 3]];
const samples = (domain: Domain): Sample<null>[] => SHAPES.map((s) => ({ shapes: [s], attrs: null, domains: [domain] }));

function unaryOp(name: string, kernel: UnaryKernel, notation: Notation, rule: Rule, domain: Domain = [-2, 2], check?: (v: number) => boolean, rule_?: string) {
  return defineOp<null, 1>({
    name,
    arity: 1,
    elementwise: true,
    notation: () => notation,
    call: { name: name.toLowerCase(), attrs: () => null },
    shape(inputs) {
      return inputs[0].shape;
    },
    ...(check === undefined ? {} : {
      checkValues(inputs) {
        const x = inputs[0];
        if (x !== undefined) checkDomain(name, x, check, rule_ ?? "input out of domain");
      },
    }),
    forward([x], _a, _s, be) {
      const n = x.data.length;
      const out = be.allocEmpty !== undefined ? be.allocEmpty(x.dtype, n) : be.alloc(x.dtype, n); // every number written
      be.kernels.unary(kernel, x.data, out);
      return out;
    },
    backward<T extends TensorLike>(g: T, { inputs, output }: BackwardCtx<T, null>, F: Functional<T>) {
      return [rule(g, inputs[0] as T, output, F)];
    },
    samples: samples(domain),
  });
}

// ∂(−x)/∂x = −1
export const neg = unaryOp("neg", "neg", { kind: "neg" }, (g, _x, _y, F) => F.neg(g));
// ∂eˣ/∂x = eˣ = y
export const exp = unaryOp("exp", "exp", call("exp", "\\exp"), (g, _x, y, F) => F.mul(g, y));
// ∂ln x/∂x = 1/x  (natural log; x < 0 is a domain error, x = 0 gives −∞ as in PyTorch)
export const log = unaryOp("log", "log", call("log", "\\log"), (g, x, _y, F) => F.div(g, x), [0.2, 3], (v) => v < 0, "input must be ≥ 0");
// ∂√x/∂x = 1/(2√x) = 1/(2y)
export const sqrt = unaryOp("sqrt", "sqrt", call("√", "\\sqrt", "sqrt"), (g, _x, y, F) => F.div(g, F.mul(y, 2)), [0.2, 3], (v) => v < 0, "input must be ≥ 0");
// ∂|x|/∂x = sign(x), 0 at x = 0 (PyTorch)
export const abs = unaryOp("abs", "abs", call("abs", "\\operatorname{abs}"), (g, x, _y, F) => F.mul(g, F.sign(x)));
// ∂tanh x/∂x = 1 − tanh²x = 1 − y²
export const tanh = unaryOp("tanh", "tanh", call("tanh", "\\tanh"), (g, _x, y, F) => F.mul(g, F.sub(1, F.powScalar(y, 2))));
// ∂σ(x)/∂x = σ(x)(1 − σ(x)) = y(1 − y)
export const sigmoid = unaryOp("sigmoid", "sigmoid", call("σ", "\\sigma", "sigmoid"), (g, _x, y, F) => F.mul(F.mul(g, y), F.sub(1, y)));
// ∂relu(x)/∂x = [x > 0]; relu′(0) = 0 (PyTorch). The forward passes NaN and −0 through as PyTorch
// does; at a NaN input this rule gives 0 where PyTorch's threshold_backward (result ≤ 0 ? 0 : g) passes g.
export const relu = unaryOp("relu", "relu", call("relu"), (g, x, _y, F) => F.where(F.gt(x, 0), g, 0));
// ∂sin x/∂x = cos x
export const sin = unaryOp("sin", "sin", call("sin", "\\sin"), (g, x, _y, F) => F.mul(g, F.apply(cos, [x], null)));
// ∂cos x/∂x = −sin x
export const cos = unaryOp("cos", "cos", call("cos", "\\cos"), (g, x, _y, F) => F.neg(F.mul(g, F.apply(sin, [x], null))));
// ∂erf(x)/∂x = 2/√π · e^{−x²}
export const erf = unaryOp("erf", "erf", call("erf"), (g, x, _y, F) => F.mul(g, F.mul(F.exp(F.neg(F.mul(x, x))), 2 / Math.sqrt(Math.PI))));
