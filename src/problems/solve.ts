// Runs a compiled problem: forward, backward (autograd, checked step by step against the symbolic
// chain rule), optimizer updates, for every iteration; records everything the formatters print.
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import { run } from "../expr/evaluate.js";
import { Adagrad, Adam, AdamW, type Optimizer, RMSprop, SGD } from "../optim/optimizer.js";
import { NablaError } from "../tensor/errors.js";
import type { Mutations } from "../trace/chain.js";
import { backwardOrder, type ChainStep, chainTerms, evaluateSteps, localDerivatives } from "../trace/steps.js";
import { toG } from "../trace/chain.js";
import { num } from "../trace/gexpr.js";
import type { Compiled } from "./compile.js";
import type { IterationTrace, SampleTrace, Solution, Update } from "../trace/solution.js";

export interface SolveOptions {
  readonly mutations?: Mutations;
  /** Iterations recorded step by step (the rest keep only values); default from the problem. */
  readonly detail?: number;
  /** Overrides for inputs/parameters (the checker's random points). */
  readonly overrides?: ReadonlyMap<string, Tensor>;
  /** Called after each iteration (progress bars). */
  readonly onIteration?: (i: number, total: number, loss: number) => void;
}

function makeOptimizer(c: Compiled, params: Tensor[]): { opt: Optimizer | null; rule: string | null } {
  const o = c.problem.optimizer;
  if (o === undefined) return { opt: null, rule: null };
  switch (o.kind) {
    case "sgd": {
      const parts = [o.momentum > 0 ? `momentum μ = ${o.momentum}${o.nesterov ? " (Nesterov)" : ""}` : "", o.weightDecay > 0 ? `weight decay λ = ${o.weightDecay}` : ""].filter((s) => s !== "");
      return {
        opt: new SGD(params, { lr: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.weightDecay }),
        rule: `SGD, learning rate η = ${o.lr}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}: w ← w − η·∂L/∂w`,
      };
    }
    case "adam": return { opt: new Adam(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay }), rule: `Adam, η = ${o.lr}, β = (${o.betas.join(", ")}), ε = ${o.eps}: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η·m̂/(√v̂ + ε)` };
    case "adamw": return { opt: new AdamW(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay }), rule: `AdamW, η = ${o.lr}, β = (${o.betas.join(", ")}), ε = ${o.eps}, decoupled weight decay λ = ${o.weightDecay}` };
    case "rmsprop": return { opt: new RMSprop(params, { lr: o.lr, alpha: o.alpha, eps: o.eps, momentum: o.momentum, weightDecay: o.weightDecay }), rule: `RMSprop, η = ${o.lr}, α = ${o.alpha}, ε = ${o.eps}: a ← αa + (1 − α)g², w ← w − η·g/(√a + ε)` };
    case "adagrad": return { opt: new Adagrad(params, { lr: o.lr, eps: o.eps, weightDecay: o.weightDecay }), rule: `Adagrad, η = ${o.lr}: s ← s + g², w ← w − η·g/(√s + ε)` };
  }
}

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const snapshot = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape);
const key = (base: string, sample: number | null, iteration: number): string =>
  `${base}${sample === null ? "" : `#${sample + 1}`}${iteration > 1 ? `@${iteration}` : ""}`;

/** Solves a compiled problem. */
export function solve(c: Compiled, o: SolveOptions = {}): Solution {
  const p = c.problem;
  const m = o.mutations ?? {};
  const mutated = Object.values(m).some((v) => v === true);
  const params = new Map<string, Tensor>([...c.parameters].map(([k, v]) => [k, leaf(o.overrides?.get(k) ?? v)]));
  const constants = new Map<string, Tensor>([...c.constants].map(([k, v]) => [k, o.overrides?.get(k) ?? v]));
  const { opt, rule } = makeOptimizer(c, [...params.values()]);
  const iterations = p.training.iterations === 0 ? 1 : p.training.iterations;
  const detail = o.detail ?? p.report.fullIterations;
  const quantities = new Map<string, Tensor>();
  for (const [k, v] of constants) quantities.set(k, v);
  for (const [k, v] of params) quantities.set(k, snapshot(v));
  const leafNames = [...params.keys(), ...p.wrt];
  const order = backwardOrder(c.program, leafNames);
  const single = p.training.mode === "single" || p.training.mode === "per-sample";
  const terms = chainTerms(c.program, order, m, single ? num(1) : undefined);
  const traces: IterationTrace[] = [];
  const lossHistory: number[] = [], outputHistory: number[][] = [], outputGradHistory: number[] = [];
  const gradNormHistory = new Map<string, number[]>(c.program.map((s) => [s.name, []]));
  const norm = (t: Tensor | null | undefined): number => (t === null || t === undefined ? 0 : Math.sqrt(Array.from(t.data).reduce((a, b) => a + b * b, 0)));
  const lossName = c.lossName;

  for (let it = 1; it <= iterations; it++) {
    const idx = p.training.mode === "single" ? [0] : p.training.mode === "per-sample" ? [(it - 1) % c.samples.length] : c.samples.map((_, i) => i);
    const multi = idx.length > 1;
    const detailed = it <= detail || it === iterations;
    const envs = idx.map((si) => {
      const env = new Map<string, Tensor>([...constants, ...(c.samples[si] ?? new Map<string, Tensor>()), ...params]);
      for (const w of p.wrt) {
        const v = env.get(w);
        if (v !== undefined && !params.has(w)) env.set(w, leaf(v));
      }
      try {
        run(c.program, env, c.source);
      } catch (e) {
        if (e instanceof NablaError) throw new NablaError(`iteration ${it}, sample ${si + 1}: ${e.message}`, { op: "solve" });
        throw e;
      }
      for (const s of c.program) env.get(s.name)?.retainGrad();
      return env;
    });
    const losses = envs.map((e) => e.get(lossName) as Tensor);
    for (const l of losses) {
      if (l.size !== 1) throw new NablaError(`the loss '${lossName}' must be a single number, got shape [${l.shape.join(",")}].`, { op: "solve", hint: "Reduce it with sum() or mean()." });
    }
    const scale = p.training.mode === "batch-mean" ? 1 / losses.length : 1;
    const total = losses.reduce((a, b) => a.add(b)).mul(scale);
    const lossValue = total.item();
    if (total.requiresGrad) total.backward();
    const sampleTraces: SampleTrace[] = envs.map((env, k) => {
      // NOTE: copies, not views: the optimizer updates parameters in place afterwards.
      const values = new Map<string, Tensor>([...env].map(([n, t]) => [n, snapshot(t)]));
      const grads = new Map<string, Tensor>();
      const root = env.get(lossName) as Tensor;
      grads.set(lossName, tensor(scale, { dtype: root.dtype }).reshape(root.shape));
      if (!mutated) for (const s of c.program) { const g = env.get(s.name)?.grad; if (g !== null && g !== undefined && s.name !== lossName) grads.set(s.name, g.detach()); }
      if (!mutated && !multi) for (const n of leafNames) { const g = env.get(n)?.grad; if (g !== null && g !== undefined) grads.set(n, g.detach()); }
      const needSteps = detailed || mutated;
      const steps = needSteps ? evaluateSteps(order, terms, values, grads, root.dtype, mutated || multi) : [];
      if (needSteps && !mutated) verify(steps, env, params, multi, it);
      const forward = detailed ? c.program.map((s) => ({ name: s.name, formula: toG(s.expr), value: values.get(s.name) as Tensor })) : [];
      const locals = detailed ? localDerivatives(c.program, values, root.dtype, m) : [];
      return { index: idx[k] as number, values, grads, forward, steps, locals, loss: (root.item()) };
    });
    // parameter gradients: autograd's (checked above), or the mutated chain rule's
    const grads = new Map<string, Tensor>();
    for (const [n, t] of params) {
      const g = mutated ? sumGrads(sampleTraces.map((s) => s.grads.get(n))) : t.grad;
      if (g !== null && g !== undefined) grads.set(n, g.detach());
    }
    for (const w of p.wrt) {
      if (params.has(w)) continue;
      const g = sumGrads(sampleTraces.map((s) => s.grads.get(w) ?? envs[0]?.get(w)?.grad ?? undefined));
      if (g !== undefined) grads.set(w, g);
    }
    // record quantities
    sampleTraces.forEach((s) => {
      const sk = multi ? s.index : null;
      if (it === 1 || multi || p.training.mode === "per-sample") for (const [n, v] of c.samples[s.index] ?? []) quantities.set(key(n, sk, it), v);
      for (const st of c.program) quantities.set(key(st.name, multi && st.name === lossName ? s.index : sk, it), s.values.get(st.name) as Tensor);
      for (const l of s.locals) quantities.set(key(`d${l.of}/d${l.wrt}`, sk, it), l.value);
      for (const [n, g] of s.grads) if (n !== lossName && !params.has(n) && !(p.wrt.includes(n) && !multi)) quantities.set(key(`d${lossName}/d${n}`, sk, it), g);
    });
    if (multi) quantities.set(key(lossName, null, it), tensor(lossValue));
    for (const [n, g] of grads) quantities.set(key(`d${lossName}/d${n}`, null, it), g);
    const first = sampleTraces[0] as SampleTrace;
    const out = first.values.get(c.output);
    outputHistory.push(out === undefined ? [] : Array.from(out.data));
    const og = first.grads.get(c.output) ?? envs[0]?.get(c.output)?.grad ?? null;
    outputGradHistory.push(og === null || og === undefined ? 0 : Math.sqrt(Array.from(og.data).reduce((a, b) => a + b * b, 0)));
    lossHistory.push(lossValue);
    for (const st of c.program) gradNormHistory.get(st.name)?.push(norm(first.grads.get(st.name) ?? envs[0]?.get(st.name)?.grad));
    // update
    const updates: Update[] = [];
    if (opt !== null && p.training.iterations > 0) {
      const before = new Map([...params].map(([n, t]) => [n, snapshot(t)]));
      for (const [n, t] of params) {
        const g = grads.get(n);
        t.grad = g === undefined ? null : g;
      }
      noGrad(() => opt.step());
      for (const [n, t] of params) {
        const g = grads.get(n);
        if (g === undefined) continue;
        const after = snapshot(t);
        updates.push({ name: n, before: before.get(n) as Tensor, grad: g, after });
        quantities.set(key(n, null, it + 1), after);
      }
      opt.zeroGrad();
    } else {
      for (const t of params.values()) t.zeroGrad();
    }
    traces.push({ iteration: it, samples: detailed ? sampleTraces : sampleTraces.map((s) => ({ ...s, forward: [], steps: [], locals: [] })), loss: lossValue, grads, updates, detailed });
    o.onIteration?.(it, iterations, lossValue);
  }
  return {
    title: p.title,
    description: p.description ?? null,
    source: p.source ?? null,
    notes: p.notes ?? null,
    program: c.program,
    lossName: c.lossName,
    output: c.output,
    target: c.target,
    parameterNames: [...params.keys()],
    mode: p.training.mode,
    trained: p.training.iterations > 0,
    rounding: { digits: p.report.digits, mode: p.report.rounding },
    layout: p.report.layout,
    conventions: c.conventions,
    show: p.report.quantities ?? null,
    iterations: traces,
    lossHistory,
    outputHistory,
    outputGradHistory,
    gradNormHistory,
    learningRate: p.optimizer?.lr ?? null,
    finalParameters: new Map([...params].map(([n, t]) => [n, snapshot(t)])),
    optimizerRule: rule,
    quantities,
  };
}

function sumGrads(gs: readonly (Tensor | undefined)[]): Tensor | undefined {
  const present = gs.filter((g): g is Tensor => g !== undefined);
  if (present.length === 0) return undefined;
  return noGrad(() => present.reduce((a, b) => a.add(b)));
}

// Every printed step must equal autograd's gradient: a disagreement is a bug in nabla, not the user's.
function verify(steps: readonly ChainStep[], env: ReadonlyMap<string, Tensor>, params: ReadonlyMap<string, Tensor>, multi: boolean, it: number): void {
  for (const s of steps) {
    if (multi && params.has(s.quantity)) continue; // per-sample share of a summed gradient
    const g = env.get(s.quantity)?.grad;
    if (g === null || g === undefined) continue;
    for (let i = 0; i < g.size; i++) {
      const a = s.value.data[i] as number, b = g.data[i] as number;
      if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) {
        throw new NablaError(`internal check failed at iteration ${it}: the chain rule gives ${a} for ∂/∂${s.quantity}[${i}] but autograd gives ${b}.`, { op: "solve" });
      }
    }
  }
}
