// One iteration's samples: each sample's forward pass and backward pass on the engine, one sample
// at a time, so a batch of a million samples never holds more than one sample's graph. Only the
// first few samples are traced step by step (chain rule on symbols, checked against autograd); the
// rest add to the iteration's loss and gradients.
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import { run } from "../expr/evaluate.js";
import { NablaError } from "../tensor/errors.js";
import type { SampleTrace } from "../solution/solution.js";
import { chainSteps, localDerivatives } from "../symbolic/chain.js";
import type { symbolic } from "../symbolic/sym.js";
import type { Compiled } from "./compile.js";
import { verify } from "./solve-record.js";
import { CHUNK, runChunk, vectorizable } from "./solve-batch.js";

/** What stays the same across iterations. */
export interface Run {
  readonly c: Compiled;
  readonly params: Map<string, Tensor>;
  readonly constants: Map<string, Tensor>;
  readonly leafNames: readonly string[];
  readonly order: readonly string[];
  readonly F: ReturnType<typeof symbolic>;
  /** Backward rules are overridden: gradients come from the symbolic chain rule, not autograd. */
  readonly mutated: boolean;
}

/** What one iteration computed from its samples. */
export interface IterationSamples {
  /** The traced samples (the first `keep`). */
  readonly traced: SampleTrace[];
  readonly count: number;
  /** The iteration's loss: the mean or sum of the samples' losses. */
  readonly loss: number;
  /** Gradients of the parameters and the `wrt` inputs. */
  readonly grads: Map<string, Tensor>;
  readonly multi: boolean;
}

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const snapshot = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape);

/** The samples an iteration uses: how many, and the index of the k-th. */
function sampleRange(c: Compiled, it: number): { count: number; at: (k: number) => number } {
  const mode = c.problem.training.mode;
  if (mode === "single") return { count: 1, at: () => 0 };
  if (mode === "per-sample") return { count: 1, at: () => (it - 1) % c.samples.count };
  return { count: c.samples.count, at: (k) => k };
}

/** The forward pass of one sample on autograd tensors; `retain` keeps the statements' gradients. */
function forwardSample(r: Run, si: number, it: number, retain: boolean): Map<string, Tensor> {
  const { c } = r;
  const env = c.samples.into(si, new Map(r.constants));
  for (const [n, t] of r.params) env.set(n, t);
  for (const w of c.problem.wrt) {
    const v = env.get(w);
    if (v !== undefined && !r.params.has(w)) env.set(w, leaf(v));
  }
  try {
    run(c.program, env, c.source);
  } catch (e) {
    if (e instanceof NablaError) throw new NablaError(`iteration ${it}, sample ${si + 1}: ${e.message}`, { op: "solve" });
    throw e;
  }
  if (retain) for (const s of c.program) env.get(s.name)?.retainGrad();
  const loss = env.get(c.lossName) as Tensor;
  if (loss.size !== 1) throw new NablaError(`the loss '${c.lossName}' must be a single number, got shape [${loss.shape.join(",")}].`, { op: "solve", hint: "Reduce it with sum() or mean()." });
  return env;
}

/** The chain rule of one sample, on symbols; checked against autograd unless rules are overridden. */
function traceSample(r: Run, env: Map<string, Tensor>, index: number, seed: Tensor, detailed: boolean, multi: boolean, it: number): SampleTrace {
  const { c } = r;
  const values = new Map<string, Tensor>([...env].map(([n, t]) => [n, snapshot(t)]));
  const root = env.get(c.lossName) as Tensor;
  const needSteps = detailed || r.mutated;
  const steps = needSteps ? chainSteps(c.program, r.order, values, seed, !multi, r.F) : [];
  if (needSteps && !r.mutated) verify(steps, env, r.params, multi, it);
  const grads = new Map<string, Tensor>([[c.lossName, seed]]);
  if (r.mutated) for (const st of steps) grads.set(st.quantity, st.value);
  else for (const n of [...c.program.map((s) => s.name), ...(multi ? [] : r.leafNames)]) { const g = env.get(n)?.grad; if (g !== null && g !== undefined && n !== c.lossName) grads.set(n, g.detach()); }
  if (multi && !r.mutated) for (const st of steps) if (!grads.has(st.quantity)) grads.set(st.quantity, st.value);
  const forward = detailed ? c.program.map((s) => ({ name: s.name, formula: s.expr, value: values.get(s.name) as Tensor })) : [];
  const locals = detailed ? localDerivatives(c.program, values, r.F) : [];
  return { index, values, grads, forward, steps, locals, loss: root.item() };
}

/** Running sums: a loss in compensated (Neumaier) summation, gradients by name. */
class Sums {
  private sum = 0;
  private carry = 0;
  readonly grads = new Map<string, Tensor>();
  addLoss(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  loss(): number {
    return this.sum + this.carry;
  }
  addGrad(name: string, g: Tensor | null | undefined): void {
    if (g === null || g === undefined) return;
    const prev = this.grads.get(name);
    this.grads.set(name, prev === undefined ? g.detach() : noGrad(() => prev.add(g)));
  }
}

/** Runs one iteration's samples, tracing the first `keep` (the first sample always). */
export function runSamples(r: Run, it: number, detailed: boolean, keep: number): IterationSamples {
  const { c } = r;
  const range = sampleRange(c, it);
  const multi = range.count > 1;
  const scale = c.problem.training.mode === "batch-mean" ? 1 / range.count : 1;
  const sums = new Sums();
  const traced: SampleTrace[] = [];
  let seed: Tensor | null = null;
  let vectors: boolean | null = null;
  for (let k = 0; k < range.count; k++) {
    const si = range.at(k);
    const kept = k < Math.max(1, keep);
    if (!kept && multi && (vectors ??= vectorizable(r, traced[0] as SampleTrace))) {
      const to = Math.min(range.count, k + CHUNK);
      if (runChunk(r, k, to, scale, (x) => sums.addLoss(x))) {
        k = to - 1;
        continue;
      }
      vectors = false;
    }
    const env = forwardSample(r, si, it, kept);
    const root = env.get(c.lossName) as Tensor;
    const loss = root.item();
    if (!Number.isFinite(loss)) throw nonFiniteLoss(c, env, it, multi ? si : null, loss);
    sums.addLoss(loss);
    seed ??= tensor(scale, { dtype: root.dtype }).reshape(root.shape);
    if (root.requiresGrad) root.backward(seed);
    const trace = kept || r.mutated ? traceSample(r, env, si, seed, detailed && kept, multi, it) : null;
    if (r.mutated) for (const n of r.params.keys()) sums.addGrad(n, trace?.grads.get(n));
    for (const w of c.problem.wrt) if (!r.params.has(w)) sums.addGrad(w, trace?.grads.get(w) ?? env.get(w)?.grad);
    if (kept && trace !== null) traced.push(trace);
  }
  const grads = new Map<string, Tensor>();
  for (const [n, t] of r.params) {
    const g = r.mutated ? sums.grads.get(n) : t.grad;
    if (g !== null && g !== undefined) grads.set(n, g.detach());
  }
  for (const w of c.problem.wrt) {
    const g = sums.grads.get(w);
    if (!r.params.has(w) && g !== undefined) grads.set(w, g);
  }
  return { traced, count: range.count, loss: sums.loss() * scale, grads, multi };
}

/** A clear error for a loss that is ±∞ or NaN, naming the first quantity that stopped being finite. */
function nonFiniteLoss(c: Compiled, env: ReadonlyMap<string, Tensor>, it: number, sample: number | null, loss: number): NablaError {
  const at = `iteration ${it}${sample === null ? "" : `, sample ${sample + 1}`}`;
  for (const st of c.program) {
    const v = env.get(st.name);
    const i = v === undefined ? -1 : v.data.findIndex((x) => !Number.isFinite(x));
    if (v === undefined || i < 0) continue;
    const why = st.name === c.lossName ? "the loss is infinite there (e.g. log 0)" : "a value overflowed or is undefined there";
    return new NablaError(`${at}: the loss '${c.lossName}' is ${loss}: ${st.name}${v.size > 1 ? `[${i}]` : ""} = ${v.data[i]}, the first quantity that is not finite; ${why}.`, { op: "solve", hint: "Check the data and the parameters' scale; bce-with-logits is the stable form for logits." });
  }
  return new NablaError(`${at}: the loss '${c.lossName}' is ${loss}.`, { op: "solve" });
}
