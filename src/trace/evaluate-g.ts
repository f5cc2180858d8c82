// Numbers for gradient expressions, computed on the engine (no graph recorded).
import { stack } from "../autograd/functional.js";
import { gradients } from "../autograd/grad.js";
import { noGrad, withGradMode } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import { FUNCTIONS } from "../expr/functions.js";
import { NablaError } from "../tensor/errors.js";
import type { DType } from "../tensor/dtype.js";
import type { G } from "./gexpr.js";

/** Values of named quantities and of their gradients. */
export interface Scope {
  readonly values: ReadonlyMap<string, Tensor>;
  readonly grads: ReadonlyMap<string, Tensor>;
  readonly dtype: DType;
}

function leafCopy(t: Tensor): Tensor {
  return new Tensor(t.data, t.shape, true);
}

/** vᵀJ of f at args, with respect to argument `i`, by the engine. */
function engineVjp(f: (xs: Tensor[]) => Tensor, args: Tensor[], i: number, g: Tensor): Tensor {
  return withGradMode(true, () => {
    const leaves = args.map(leafCopy);
    const y = f(leaves);
    const [r] = gradients(y, [leaves[i] as Tensor], { gradOut: g.reshape(y.shape) });
    return (r as Tensor).detach();
  });
}

/** Evaluates a gradient expression. */
export function evalG(g: G, s: Scope): Tensor {
  const rec = (x: G): Tensor => evalG(x, s);
  switch (g.k) {
    case "num": return new Tensor(s.dtype === "float64" ? new Float64Array([g.v]) : new Float32Array([g.v]), []);
    case "var": {
      const v = s.values.get(g.name);
      if (v === undefined) throw new NablaError(`no value for '${g.name}'`, { op: "solve" });
      return v.detach();
    }
    case "grad": {
      const v = s.grads.get(g.name);
      if (v === undefined) throw new NablaError(`no gradient for '${g.name}'`, { op: "solve" });
      return v.detach();
    }
    case "neg": return noGrad(() => rec(g.a).neg());
    case "add": return noGrad(() => rec(g.a).add(rec(g.b)));
    case "sub": return noGrad(() => rec(g.a).sub(rec(g.b)));
    case "mul": return noGrad(() => rec(g.a).mul(rec(g.b)));
    case "div": return noGrad(() => rec(g.a).div(rec(g.b)));
    case "pow": return noGrad(() => rec(g.a).pow(g.n));
    case "T": return noGrad(() => rec(g.a).transpose());
    case "mmA": return engineVjp(([a, b]) => (a as Tensor).matmul(b as Tensor), [rec(g.a), rec(g.b)], 0, rec(g.g));
    case "mmB": return engineVjp(([a, b]) => (a as Tensor).matmul(b as Tensor), [rec(g.a), rec(g.b)], 1, rec(g.g));
    case "bcast": {
      const gv = rec(g.g), like = rec(g.like);
      return noGrad(() => {
        const e = gv.reshape([]).expand(like.shape);
        return g.scale === "mean" ? e.div(Math.max(like.size, 1)) : e.mul(1);
      });
    }
    case "fn": return evalFn(g, s, rec);
    default: throw new NablaError("unknown gradient expression", { op: "solve" });
  }
}

function evalFn(g: Extract<G, { k: "fn" }>, s: Scope, rec: (x: G) => Tensor): Tensor {
  const args = (): Tensor[] => g.args.map(rec);
  const a = (): Tensor => rec(g.args[0] as G);
  return noGrad(() => {
    switch (g.fn) {
      case "sign": return a().sign();
      case "step": return a().gt(0);
      case "leakystep": { const x = a(); return x.gt(0).add(x.le(0).mul(g.param ?? 0.01)); }
      case "eluprime": { const x = a(); return x.gt(0).add(x.le(0).mul(x.clamp(null, 0).exp().mul(g.param ?? 1))); }
      case "huberprime": { const x = a(), d = g.param ?? 1; return x.clamp(-d, d); }
      case "Phi": return a().mul(Math.SQRT1_2).erf().add(1).mul(0.5);
      case "phi": { const x = a(); return x.mul(x).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI)); }
      case "matmul": { const [x, y] = args(); return (x as Tensor).matmul(y as Tensor); }
      case "powt": { const [x, y] = args(); return (x as Tensor).pow(y as Tensor); }
      case "array": return stack(args());
      case "index": return a().slice(g.param ?? 0);
      default: break;
    }
    if (g.fn.startsWith("vjp:")) {
      const name = g.fn.slice(4);
      const def = FUNCTIONS[name];
      if (def === undefined) throw new NablaError(`no function ${name}`, { op: "solve" });
      const [gv, ...rest] = args();
      const tensorArgs = rest.filter((_, i) => !(def.numeric ?? []).includes(i));
      const nums = rest.map((t, i) => ((def.numeric ?? []).includes(i) ? t.item() : NaN));
      return engineVjp((xs) => def.fn(xs, nums), tensorArgs, g.param ?? 0, gv as Tensor);
    }
    const def = FUNCTIONS[g.fn];
    if (def === undefined) throw new NablaError(`no function ${g.fn}`, { op: "solve" });
    const xs = args();
    const nums: number[] = [];
    if (g.param !== undefined) nums[1] = g.param;
    return def.fn(xs, nums);
  });
}

