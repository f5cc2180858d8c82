// Runs a compiled problem: forward on the engine, the chain rule by interpreting the ops' rules on
// symbols (checked against autograd), optimizer updates, for every iteration; records everything
// the formatters print.
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import { run } from "../expr/evaluate.js";
import type { Optimizer } from "../optim/optimizer.js";
import { NablaError } from "../tensor/errors.js";
import type { IterationTrace, SampleTrace, Solution, Update } from "../solution/solution.js";
import { backwardOrder, chainSteps, localDerivatives } from "../symbolic/chain.js";
import { type RuleOverrides, symbolic } from "../symbolic/sym.js";
import type { Compiled } from "./compile.js";
import { makeOptimizer, optimizerSpec } from "./optimizer-spec.js";
import { key, recordSample, verify } from "./solve-record.js";

export interface SolveOptions {
  /** Replacement backward rules (the checker's deliberate mistakes): gradients then come from them, not autograd. */
  readonly overrides?: RuleOverrides;
  /** Iterations recorded step by step (the rest keep only values); default from the problem. */
  readonly detail?: number;
  /** Values replacing inputs/parameters (the checker's random points). */
  readonly at?: ReadonlyMap<string, Tensor>;
  /** Step up the gradient instead of down (the checker's "+ instead of −" mistake). */
  readonly ascend?: boolean;
  /** Called after each iteration (progress bars). */
  readonly onIteration?: (i: number, total: number, loss: number) => void;
}

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const snapshot = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape);
const norm = (t: Tensor | null | undefined): number => (t === null || t === undefined ? 0 : Math.sqrt(Array.from(t.data).reduce((a, b) => a + b * b, 0)));

/** What stays the same across iterations. */
interface Run {
  readonly c: Compiled;
  readonly params: Map<string, Tensor>;
  readonly constants: Map<string, Tensor>;
  readonly leafNames: readonly string[];
  readonly order: readonly string[];
  readonly F: ReturnType<typeof symbolic>;
  readonly mutated: boolean;
}

/** The samples an iteration uses. */
function samplesOf(c: Compiled, it: number): number[] {
  const mode = c.problem.training.mode;
  if (mode === "single") return [0];
  if (mode === "per-sample") return [(it - 1) % c.samples.length];
  return c.samples.map((_, i) => i);
}

/** The forward pass of one sample on autograd tensors. */
function forwardSample(r: Run, si: number, it: number): Map<string, Tensor> {
  const { c } = r;
  const env = new Map<string, Tensor>([...r.constants, ...(c.samples[si] ?? new Map<string, Tensor>()), ...r.params]);
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
  for (const s of c.program) env.get(s.name)?.retainGrad();
  const loss = env.get(c.lossName) as Tensor;
  if (loss.size !== 1) throw new NablaError(`the loss '${c.lossName}' must be a single number, got shape [${loss.shape.join(",")}].`, { op: "solve", hint: "Reduce it with sum() or mean()." });
  return env;
}

/** The chain rule of one sample, on symbols; checked against autograd unless rules are overridden. */
function traceSample(r: Run, env: Map<string, Tensor>, index: number, scale: number, detailed: boolean, multi: boolean, it: number): SampleTrace {
  const { c } = r;
  const values = new Map<string, Tensor>([...env].map(([n, t]) => [n, snapshot(t)]));
  const root = env.get(c.lossName) as Tensor;
  const seed = tensor(scale, { dtype: root.dtype }).reshape(root.shape);
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

/** Applies the optimizer step; returns the updates. */
function update(r: Run, opt: Optimizer, grads: ReadonlyMap<string, Tensor>, it: number, quantities: Map<string, Tensor>, ascend: boolean): Update[] {
  const before = new Map([...r.params].map(([n, t]) => [n, snapshot(t)]));
  for (const [n, t] of r.params) {
    const g = grads.get(n);
    t.grad = g === undefined ? null : ascend ? noGrad(() => g.neg()) : g;
  }
  noGrad(() => opt.step());
  const updates: Update[] = [];
  for (const [n, t] of r.params) {
    const g = grads.get(n);
    if (g === undefined) continue;
    const after = snapshot(t);
    updates.push({ name: n, before: before.get(n) as Tensor, grad: g, after });
    quantities.set(key(n, null, it + 1), after);
  }
  opt.zeroGrad();
  return updates;
}

/** Solves a compiled problem. */
export function solve(c: Compiled, o: SolveOptions = {}): Solution {
  const p = c.problem;
  const overrides = o.overrides ?? new Map();
  const params = new Map<string, Tensor>([...c.parameters].map(([k, v]) => [k, leaf(o.at?.get(k) ?? v)]));
  const constants = new Map<string, Tensor>([...c.constants].map(([k, v]) => [k, o.at?.get(k) ?? v]));
  const leafNames = [...params.keys(), ...p.wrt];
  const r: Run = { c, params, constants, leafNames, order: backwardOrder(c.program, leafNames), F: symbolic(overrides), mutated: overrides.size > 0 };
  const opt = makeOptimizer(p, [...params.values()]);
  const iterations = p.training.iterations === 0 ? 1 : p.training.iterations;
  const detail = o.detail ?? p.report.fullIterations;
  const quantities = new Map<string, Tensor>([...constants, ...[...params].map(([k, v]): [string, Tensor] => [k, snapshot(v)])]);
  const traces: IterationTrace[] = [];
  const lossHistory: number[] = [], outputHistory: number[][] = [], outputGradHistory: number[] = [];
  const gradNormHistory = new Map<string, number[]>(c.program.map((s) => [s.name, []]));

  for (let it = 1; it <= iterations; it++) {
    const idx = samplesOf(c, it);
    const multi = idx.length > 1;
    const detailed = it <= detail || it === iterations;
    const envs = idx.map((si) => forwardSample(r, si, it));
    const scale = p.training.mode === "batch-mean" ? 1 / envs.length : 1;
    const total = envs.map((e) => e.get(c.lossName) as Tensor).reduce((a, b) => a.add(b)).mul(scale);
    const lossValue = total.item();
    if (!Number.isFinite(lossValue)) throw new NablaError(`iteration ${it}: the loss '${c.lossName}' is ${lossValue}: ${lossValue > 0 ? "a prediction reached a value where the loss is infinite (e.g. log 0)" : "not a number"}.`, { op: "solve", hint: "Check the data and the loss; bce-with-logits is the stable form for logits." });
    if (total.requiresGrad) total.backward();
    const samples = envs.map((env, k) => traceSample(r, env, idx[k] as number, scale, detailed, multi, it));
    const grads = parameterGrads(r, samples, envs);
    recordSample(quantities, c, samples, grads, multi, it, lossValue);
    const first = samples[0] as SampleTrace;
    outputHistory.push(Array.from(first.values.get(c.output)?.data ?? []));
    outputGradHistory.push(norm(first.grads.get(c.output)));
    lossHistory.push(lossValue);
    for (const st of c.program) gradNormHistory.get(st.name)?.push(norm(first.grads.get(st.name)));
    const updates = opt !== null && p.training.iterations > 0 ? update(r, opt, grads, it, quantities, o.ascend === true) : [];
    if (opt === null || p.training.iterations === 0) for (const t of params.values()) t.zeroGrad();
    traces.push({ iteration: it, sampleCount: idx.length, samples: detailed ? samples : samples.map((s) => ({ ...s, forward: [], steps: [], locals: [] })), loss: lossValue, grads, updates, detailed });
    o.onIteration?.(it, iterations, lossValue);
  }
  return {
    title: p.title, description: p.description ?? null, source: p.source ?? null, notes: p.notes ?? null,
    program: c.program, lossName: c.lossName, output: c.output, target: c.target,
    parameterNames: [...params.keys()], mode: p.training.mode, trained: p.training.iterations > 0,
    rounding: { digits: p.report.digits, mode: p.report.rounding }, layout: p.report.layout,
    conventions: c.conventions, show: p.report.quantities ?? null,
    iterations: traces, lossHistory, outputHistory, outputGradHistory, gradNormHistory,
    finalParameters: new Map([...params].map(([n, t]) => [n, snapshot(t)])),
    optimizer: optimizerSpec(p), quantities,
  };
}

/** Gradients of the parameters and `wrt` inputs: autograd's (checked), or the overridden chain rule's. */
function parameterGrads(r: Run, samples: readonly SampleTrace[], envs: readonly Map<string, Tensor>[]): Map<string, Tensor> {
  const grads = new Map<string, Tensor>();
  for (const [n, t] of r.params) {
    const g = r.mutated ? sumGrads(samples.map((s) => s.grads.get(n))) : t.grad;
    if (g !== null && g !== undefined) grads.set(n, g.detach());
  }
  for (const w of r.c.problem.wrt) {
    if (r.params.has(w)) continue;
    const g = sumGrads(samples.map((s) => s.grads.get(w) ?? envs[0]?.get(w)?.grad ?? undefined));
    if (g !== undefined) grads.set(w, g);
  }
  return grads;
}

function sumGrads(gs: readonly (Tensor | undefined)[]): Tensor | undefined {
  const present = gs.filter((g): g is Tensor => g !== undefined);
  if (present.length === 0) return undefined;
  return noGrad(() => present.reduce((a, b) => a.add(b)));
}
