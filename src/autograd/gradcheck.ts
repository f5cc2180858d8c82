// Finite-difference checks of first and second derivatives (PyTorch's gradcheck/gradgradcheck).
import { backend } from "../backend/backend.js";
import { GradcheckError, ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import { stridesOf } from "../tensor/shape.js";
import { gradients } from "./grad.js";
import { noGrad } from "./mode.js";
import { Tensor } from "./tensor.js";

/** Tolerances and options; defaults are PyTorch's. */
export interface GradcheckOptions {
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
  /** Seed of the random cotangent used for non-scalar outputs. */
  readonly seed?: number;
  /** Return the result instead of throwing on failure. */
  readonly raise?: boolean;
  /** Indices of inputs not to check (e.g. targets). */
  readonly skip?: readonly number[];
}

/** Outcome of a check: on failure, where the worst disagreement is. */
export interface GradcheckResult {
  readonly ok: boolean;
  readonly message: string;
  readonly worst: { input: number; index: number[]; analytic: number; numeric: number; relError: number } | null;
}

type Fn = (...xs: Tensor[]) => Tensor;

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += (a.data[i] as number) * (b.data[i] as number);
  return s;
}

function randomLike(t: Tensor, rng: Random): Tensor {
  const d = new Float64Array(t.size);
  for (let i = 0; i < d.length; i++) d[i] = rng.uniform() * 2 - 1;
  return new Tensor(d, t.shape);
}

/**
 * Compares analytic vector-Jacobian products of f with central differences in float64:
 * ⟨v, f(x + εeᵢ) − f(x − εeᵢ)⟩ / 2ε against (vᵀJ)ᵢ, for a random cotangent v.
 */
export function gradcheck(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0, raise = true, skip = [] } = options;
  for (const x of inputs) {
    if (x.dtype !== "float64") throw new ValueError(`inputs must be float64 for finite differences, got ${x.dtype}.`, { op: "gradcheck", hint: 'Use .to("float64").' });
  }
  const rng = new Random(seed);
  const vars = inputs.map((x, i) => new Tensor(x.data.slice(), x.shape, !skip.includes(i)));
  const out = f(...vars);
  const v = randomLike(out, rng);
  const checked = vars.map((_, i) => i).filter((i) => !skip.includes(i));
  const analytic = out.requiresGrad ? gradients(out, checked.map((i) => vars[i] as Tensor), { gradOut: v }) : checked.map((i) => new Tensor(new Float64Array((vars[i] as Tensor).size), (vars[i] as Tensor).shape));
  let worst = null as GradcheckResult["worst"];
  let worstExcess = 0;
  for (const [k, inputIdx] of checked.entries()) {
    const x = vars[inputIdx] as Tensor;
    const a = analytic[k] as Tensor;
    for (let i = 0; i < x.size; i++) {
      const orig = x.data[i] as number;
      const fAt = (val: number): number => {
        backend().mutate(x.data, (d) => { d[i] = val; });
        // NOTE: grad mode stays on: f may itself differentiate (gradgradcheck).
        const y = f(...vars);
        return dot(y, v);
      };
      const numeric = (fAt(orig + eps) - fAt(orig - eps)) / (2 * eps);
      backend().mutate(x.data, (d) => { d[i] = orig; });
      const an = a.data[i] as number;
      const err = Math.abs(an - numeric);
      const excess = err - (atol + rtol * Math.abs(numeric));
      if (!(excess <= 0) && (worst === null || excess > worstExcess || Number.isNaN(excess))) {
        worstExcess = excess;
        const st = stridesOf(x.shape);
        worst = { input: inputIdx, index: st.map((s, d) => Math.floor(i / s) % (x.shape[d] as number)), analytic: an, numeric, relError: err / Math.max(Math.abs(numeric), 1e-300) };
      }
    }
  }
  const message = worst === null
    ? "gradients match finite differences"
    : `gradient of input ${worst.input} at index [${worst.index.join(",")}] is ${worst.analytic}, finite differences give ${worst.numeric} (relative error ${worst.relError.toExponential(3)}; atol ${atol}, rtol ${rtol}).`;
  if (worst !== null && raise) throw new GradcheckError(message, worst);
  return { ok: worst === null, message, worst };
}

/**
 * Checks second derivatives: gradcheck of x ↦ vᵀ∂f/∂x computed with createGraph, for a fixed
 * random cotangent v.
 */
export function gradgradcheck(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const rng = new Random((options.seed ?? 0) + 1);
  const skip = options.skip ?? [];
  const probe = noGrad(() => f(...inputs));
  const v = randomLike(probe, rng);
  const checked = inputs.map((_, i) => i).filter((i) => !skip.includes(i));
  // g(x) = Σ_k ⟨w_k, ∂⟨v, f⟩/∂x_k⟩ for fixed random w_k: a scalar whose gradient is the Hessian-vector product.
  const ws = checked.map((i) => randomLike(inputs[i] as Tensor, rng));
  const g = (...xs: Tensor[]): Tensor => {
    const y = f(...xs);
    if (!y.requiresGrad) return new Tensor(new Float64Array(1), []);
    const wrt = checked.map((i) => xs[i] as Tensor);
    const gs = gradients(y, wrt, { gradOut: v, createGraph: true });
    return gs.map((gk, k) => gk.mul(ws[k] as Tensor).sum()).reduce((a, b) => a.add(b));
  };
  return gradcheck(g, inputs, options);
}
