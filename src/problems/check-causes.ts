// Likely causes of a wrong number that no variant of the problem reproduces: relations between the
// answer and the right value (a sign, a transpose, the value of another iteration or sample, a
// factor that is a real count of the problem). When none fits, no cause is given: a guessed factor
// would mislead more than silence.
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { squares } from "../expr/ast.js";
import type { Solution } from "../solution/solution.js";
import type { Compiled } from "./compile.js";

/** What the generic causes may refer to: the problem's real counts and conventions. */
export interface CauseContext {
  readonly lossName: string;
  /** Number of outputs (elements of the prediction). */
  readonly K: number;
  /** Number of samples combined in one iteration (1 outside the batch modes). */
  readonly N: number;
  readonly reduction: "mean" | "sum";
  readonly mode: Compiled["problem"]["training"]["mode"];
  /** Whether the loss squares something (where a stray 2 or ½ comes from). */
  readonly squares: boolean;
}

/** The context of a compiled problem, with K read from its solution. */
export function causeContext(c: Compiled, sol: Solution): CauseContext {
  const p = c.problem;
  const batch = p.training.mode === "batch-mean" || p.training.mode === "batch-sum";
  return {
    lossName: c.lossName,
    K: sol.iterations[0]?.samples[0]?.values.get(c.output)?.size ?? 1,
    N: batch ? (sol.iterations[0]?.sampleCount ?? 1) : 1,
    reduction: p.loss.reduction,
    mode: p.training.mode,
    squares: p.loss.kind === "mse" || c.program.slice(c.modelLength).some((s) => squares(s.expr)),
  };
}

/** Equal within `rel` relative to max(1, |b|), elementwise (formula answers: exact up to round-off). */
export function close(a: Tensor, b: Tensor, rel: number): boolean {
  if (a.size !== b.size) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i] as number, y = b.data[i] as number;
    if (!(Math.abs(x - y) <= rel * Math.max(1, Math.abs(y)))) return false;
  }
  return true;
}

/**
 * Whether an answer is the value `alt`: within 0.2% of it, or within the place value of the
 * answer's last written digit (`ulps`, elementwise; empty for formulas). Relative, so a small
 * gradient does not match every other small number.
 */
export function matches(got: Tensor, alt: Tensor, ulps: readonly number[]): boolean {
  if (got.size !== alt.size) return false;
  for (let i = 0; i < got.size; i++) {
    const g = got.data[i] as number, a = alt.data[i] as number;
    if (!(Math.abs(g - a) <= Math.max(2e-3 * Math.abs(a), ulps[i] ?? 0, 1e-300))) return false;
  }
  return true;
}

/** Equal up to round-off, relative to the value's own size. */
export function same(a: Tensor, b: Tensor): boolean {
  if (a.size !== b.size) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i] as number, y = b.data[i] as number;
    if (!(Math.abs(x - y) <= 1e-9 * Math.abs(y) + 1e-300)) return false;
  }
  return true;
}

/** `base`, `#sample` and `@iteration` of a quantity key (README "Quantity names"). */
export function parseKey(key: string): { base: string; sample: number | null; iteration: number } {
  const m = /^(.*?)(?:#(\d+))?(?:@(\d+))?$/.exec(key);
  return { base: m?.[1] ?? key, sample: m?.[2] === undefined ? null : Number(m[2]), iteration: m?.[3] === undefined ? 1 : Number(m[3]) };
}

const keyOf = (base: string, sample: number | null, iteration: number): string => `${base}${sample === null ? "" : `#${sample}`}${iteration > 1 ? `@${iteration}` : ""}`;

/** The answer is the same quantity at another iteration, or of another sample. */
export function wrongPlaceCause(got: Tensor, key: string, want: Tensor, sol: Solution, ulps: readonly number[]): string | undefined {
  const k = parseKey(key);
  const fits = (other: string): boolean => {
    const alt = sol.quantities.get(other);
    return alt !== undefined && other !== key && !same(alt, want) && matches(got, alt, ulps);
  };
  const iterations = sol.iterations.length + 1; // parameters also have a value after the last update
  for (let it = 1; it <= iterations; it++) {
    const other = keyOf(k.base, k.sample, it);
    if (it !== k.iteration && fits(other)) return `taken from the wrong iteration: the answer is ${other}, the value in iteration ${it}, not in iteration ${k.iteration}`;
  }
  if (k.sample !== null) {
    for (const { index } of sol.iterations[k.iteration - 1]?.samples ?? []) {
      const s = index + 1;
      const other = keyOf(k.base, s, k.iteration);
      if (s !== k.sample && fits(other)) return `taken from the wrong sample: the answer is ${other}, the value for sample ${s}, not sample ${k.sample}`;
    }
  }
  return undefined;
}

/** The ratio got/want when it is the same for every element (null otherwise). */
function commonRatio(got: Tensor, want: Tensor): number | null {
  let ratio: number | null = null;
  for (let i = 0; i < want.size; i++) {
    const c = want.data[i] as number, g = got.data[i] as number;
    if (Math.abs(c) < 1e-12) continue;
    const r = g / c;
    if (ratio === null) ratio = r;
    else if (Math.abs(r - ratio) > 2e-3 * Math.abs(ratio)) return null;
  }
  return ratio;
}

/** A factor that is one of the problem's real counts (outputs K, samples N), in the loss's terms. */
function countCause(ratio: number, x: CauseContext): string | undefined {
  const near = (v: number): boolean => Math.abs(ratio - v) <= 2e-3 * Math.abs(v);
  if (x.K >= 2 && near(x.K)) return x.reduction === "mean" ? `a factor of K = ${x.K} too large: sum instead of mean over the ${x.K} outputs (the loss's 1/K forgotten)` : undefined;
  if (x.K >= 2 && near(1 / x.K)) return x.reduction === "mean" ? `a factor of K = ${x.K} too small: the mean's 1/K over the ${x.K} outputs applied twice` : `a factor of K = ${x.K} too small: mean instead of sum over the ${x.K} outputs`;
  if (x.N >= 2 && near(x.N)) return x.mode === "batch-mean" ? `a factor of N = ${x.N} too large: sum instead of mean over the ${x.N} samples (the loss's 1/N forgotten)` : undefined;
  if (x.N >= 2 && near(1 / x.N)) return x.mode === "batch-mean" ? `a factor of N = ${x.N} too small: the loss's 1/N applied twice (divided by N² instead of N)` : `a factor of N = ${x.N} too small: mean instead of sum over the ${x.N} samples`;
  return undefined;
}

/** The likely cause of a wrong number from its relation to the right one, or undefined. */
export function genericCause(got: Tensor, key: string, want: Tensor, x: CauseContext, ulps: readonly number[]): string | undefined {
  if (matches(got, noGrad(() => want.neg()), ulps)) return "sign error: the answer is the negative of the correct value";
  if (want.ndim === 2 && got.size === want.size && matches(got.reshape(want.shape.slice().reverse()), noGrad(() => want.transpose()), ulps)) {
    return "transposed: the answer is (∂L/∂W)ᵀ — W x vs x Wᵀ layout, or numerator vs denominator layout";
  }
  // Counts and the ½ convention scale the loss, so only the loss and its gradients carry them.
  const base = parseKey(key).base;
  if (base !== x.lossName && !base.startsWith(`d${x.lossName}/`)) return undefined;
  const ratio = commonRatio(got, want);
  if (ratio === null) return undefined;
  const counted = countCause(ratio, x);
  if (counted !== undefined) return counted;
  const near = (v: number): boolean => Math.abs(ratio - v) <= 2e-3 * Math.abs(v);
  if (x.squares && near(2)) return "a factor of 2 too large (the 2 from differentiating a square kept against a ½ convention?)";
  if (x.squares && near(0.5)) return "a factor of ½ too small (a ½ in squared error the problem does not use?)";
  return undefined;
}
