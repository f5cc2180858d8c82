// Runs a compiled problem: forward on the engine, the chain rule by interpreting the ops' rules on
// symbols (checked against autograd), optimizer updates, for every iteration; records everything
// the formatters print.
import { noGrad } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { IterationTrace, SampleTrace, Solution, Update } from "../solution/solution.js";
import { backwardOrder } from "../symbolic/chain.js";
import { type RuleOverrides, symbolic } from "../symbolic/sym.js";
import type { Compiled } from "./compile.js";
import { makeOptimizer, optimizerSpec } from "./optimizer-spec.js";
import { key, recordSample } from "./solve-record.js";
import { type Run, runSamples } from "./solve-sample.js";

export interface SolveOptions {
  /** Replacement backward rules (the checker's deliberate mistakes): gradients then come from them, not autograd. */
  readonly overrides?: RuleOverrides;
  /** Iterations recorded step by step (the rest keep only values); default from the problem. */
  readonly detail?: number;
  /** Values replacing inputs/parameters (the checker's random points). */
  readonly at?: ReadonlyMap<string, Tensor>;
  /** Step up the gradient instead of down (the checker's "+ instead of −" mistake). */
  readonly ascend?: boolean;
  /**
   * Samples of a batch traced step by step in each iteration (the rest only add to the loss and
   * gradients); default: every sample up to SAMPLE_DETAIL.all, else the first SAMPLE_DETAIL.first.
   */
  readonly samples?: number;
  /** Called after each iteration (progress bars). */
  readonly onIteration?: (i: number, total: number, loss: number) => void;
}

/** Batches up to `all` samples are traced in full; larger ones only their first `first` samples. */
export const SAMPLE_DETAIL = { all: 10, first: 3 } as const;

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const snapshot = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape);
const norm = (t: Tensor | null | undefined): number => {
  if (t === null || t === undefined) return 0;
  let s = 0;
  for (const x of t.data) s += x * x;
  return Math.sqrt(s);
};

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

/** One finished iteration, as `solveSteps` yields it. */
export interface IterationProgress {
  readonly iteration: number;
  readonly total: number;
  readonly loss: number;
  /** The first sample's output. */
  readonly output: readonly number[];
}

/** Solves a compiled problem. */
export function solve(c: Compiled, o: SolveOptions = {}): Solution {
  const steps = solveSteps(c, o);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** Solves a compiled problem an iteration at a time (the playground trains live and can pause): yields after each iteration, returns the solution. */
export function* solveSteps(c: Compiled, o: SolveOptions = {}): Generator<IterationProgress, Solution, void> {
  const p = c.problem;
  const overrides = o.overrides ?? new Map();
  const params = new Map<string, Tensor>([...c.parameters].map(([k, v]) => [k, leaf(o.at?.get(k) ?? v)]));
  const constants = new Map<string, Tensor>([...c.constants].map(([k, v]) => [k, o.at?.get(k) ?? v]));
  const leafNames = [...params.keys(), ...p.wrt];
  const r: Run = { c, params, constants, leafNames, order: backwardOrder(c.program, leafNames), F: symbolic(overrides), mutated: overrides.size > 0 };
  const opt = makeOptimizer(p, [...params.values()]);
  const iterations = p.training.iterations === 0 ? 1 : p.training.iterations;
  const detail = o.detail ?? p.report.fullIterations;
  const keep = o.samples ?? (c.samples.count <= SAMPLE_DETAIL.all ? c.samples.count : SAMPLE_DETAIL.first);
  const quantities = new Map<string, Tensor>([...constants, ...[...params].map(([k, v]): [string, Tensor] => [k, snapshot(v)])]);
  const traces: IterationTrace[] = [];
  const lossHistory: number[] = [], outputHistory: number[][] = [], outputGradHistory: number[] = [];
  const gradNormHistory = new Map<string, number[]>(c.program.map((s) => [s.name, []]));

  for (let it = 1; it <= iterations; it++) {
    const detailed = it <= detail || it === iterations;
    const { traced, count, loss: lossValue, grads, multi } = runSamples(r, it, detailed, keep);
    recordSample(quantities, c, traced, grads, multi, it, lossValue);
    const first = traced[0] as SampleTrace; // runSamples traces the first sample always
    outputHistory.push(Array.from(first.values.get(c.output)?.data ?? []));
    outputGradHistory.push(norm(first.grads.get(c.output)));
    lossHistory.push(lossValue);
    for (const st of c.program) gradNormHistory.get(st.name)?.push(norm(first.grads.get(st.name)));
    const updates = opt !== null && p.training.iterations > 0 ? update(r, opt, grads, it, quantities, o.ascend === true) : [];
    if (opt === null || p.training.iterations === 0) for (const t of params.values()) t.zeroGrad();
    traces.push({ iteration: it, sampleCount: count, samples: detailed ? traced : traced.map((s) => ({ ...s, forward: [], steps: [], locals: [] })), loss: lossValue, grads, updates, detailed });
    o.onIteration?.(it, iterations, lossValue);
    yield { iteration: it, total: iterations, loss: lossValue, output: outputHistory.at(-1) ?? [] };
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
