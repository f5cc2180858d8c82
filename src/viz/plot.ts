// Vega-Lite specifications: activation functions with their derivatives (computed by autograd),
// and learning curves of one or more runs. Specs are plain data; vega.ts renders them.
import type { TopLevelSpec } from "vega-lite";
import { linspace } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import { elu, gelu, leakyRelu, silu, softplus } from "../nn/activations.js";
import { ValueError } from "../tensor/errors.js";

/** A Vega-Lite specification (JSON). */
export type VlSpec = TopLevelSpec;

/** Activation functions `nabla plot activations` knows, with the kink convention to note. */
export const ACTIVATIONS: Readonly<Record<string, { f: (x: Tensor) => Tensor; kink?: string }>> = {
  relu: { f: (x) => x.relu(), kink: "ReLU′(0) = 0" },
  "leaky-relu": { f: (x) => leakyRelu(x, { negativeSlope: 0.1 }), kink: "LeakyReLU(slope 0.1)′(0) = 0.1" },
  gelu: { f: (x) => gelu(x) },
  "gelu-tanh": { f: (x) => gelu(x, { approximate: "tanh" }) },
  tanh: { f: (x) => x.tanh() },
  sigmoid: { f: (x) => x.sigmoid() },
  softplus: { f: (x) => softplus(x) },
  elu: { f: (x) => elu(x), kink: "ELU′(0) = α = 1" },
  silu: { f: (x) => silu(x) },
};

/** One point of an activation plot. */
export interface ActivationPoint {
  readonly x: number;
  readonly y: number;
  readonly fn: string;
  readonly series: "f(x)" | "f′(x)";
}

/** Values and autograd derivatives of the named functions on a grid (0 is always a grid point). */
export function activationSeries(fns: readonly string[], range: readonly [number, number] = [-4, 4], points = 401, derivative = true): ActivationPoint[] {
  const [lo, hi] = range;
  if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new ValueError(`range must be two finite numbers lo < hi, got ${lo},${hi}.`, { op: "plot" });
  // NOTE: -1e308,1e308 are finite but their span overflows to ∞, and the grid would be NaN.
  if (!Number.isFinite(hi - lo)) throw new ValueError(`range must have a finite width hi − lo, got ${lo},${hi} (width ${hi - lo}).`, { op: "plot", hint: "Narrow the range." });
  const out: ActivationPoint[] = [];
  for (const name of fns) {
    const def = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
    if (def === undefined) throw new ValueError(`unknown activation '${name}' (known: ${Object.keys(ACTIVATIONS).join(", ")}).`, { op: "plot" });
    const x = linspace(lo, hi, points).requireGrad();
    const y = def.f(x);
    y.sum().backward(); // elementwise f: ∂Σf/∂xᵢ = f′(xᵢ)
    const g = x.grad as Tensor;
    for (const [t, what] of [[y, name], [g, `${name}′`]] as const) {
      const i = t.data.findIndex((v) => !Number.isFinite(v));
      if (i >= 0 && (t === y || derivative)) throw new ValueError(`${what}(x) must be finite on the range, got ${t.data[i]} at x = ${x.data[i]}.`, { op: "plot", hint: "Narrow the range." });
    }
    for (let i = 0; i < points; i++) {
      out.push({ x: x.data[i] as number, y: y.data[i] as number, fn: name, series: "f(x)" });
      if (derivative) out.push({ x: x.data[i] as number, y: g.data[i] as number, fn: name, series: "f′(x)" });
    }
  }
  return out;
}

/** Functions and (optionally) derivatives side by side, one colour per function. */
export function activationsSpec(fns: readonly string[], o: { range?: readonly [number, number]; derivative?: boolean } = {}): VlSpec {
  const derivative = o.derivative ?? false;
  const values = activationSeries(fns, o.range ?? [-4, 4], 401, derivative);
  const kinks = fns.map((f) => (Object.hasOwn(ACTIVATIONS, f) ? ACTIVATIONS[f]?.kink : undefined)).filter((k): k is string => k !== undefined);
  const subtitle = derivative ? `derivatives by nabla's autograd${kinks.length > 0 ? `; at kinks: ${kinks.join(", ")} (PyTorch)` : ""}` : "";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: derivative ? "Activation functions and their derivatives" : "Activation functions", subtitle },
    data: { values },
    facet: { column: { field: "series", type: "nominal", title: null, sort: ["f(x)", "f′(x)"] } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: "line", strokeWidth: 2 },
      encoding: {
        x: { field: "x", type: "quantitative", title: "x" },
        y: { field: "y", type: "quantitative", title: null },
        color: { field: "fn", type: "nominal", title: "function" },
      },
    },
    resolve: { scale: { y: "independent" } },
    config: { font: "DejaVu Sans", legend: { labelLimit: 360 } },
  };
}

/** A training run's histories. */
export interface Run {
  readonly label: string;
  readonly loss: readonly number[];
  readonly prediction: readonly number[];
  readonly target?: number;
  /** ‖∂L/∂q‖ per step for a chosen quantity q (e.g. the pre-activation z). */
  readonly grad?: { readonly name: string; readonly values: readonly number[] };
}

/** Loss and prediction against step (two panels), overlaid per run; a third panel of |∂L/∂q| when given. */
export function curvesSpec(runs: readonly Run[], o: { title?: string; lossName?: string } = {}): VlSpec {
  const rows = runs.flatMap((r) => r.loss.map((l, i) => ({ step: i + 1, run: r.label, loss: l, prediction: r.prediction[i] ?? null, grad: r.grad?.values[i] ?? null })));
  const targets = runs.filter((r) => r.target !== undefined).map((r) => ({ run: r.label, target: r.target }));
  const color = { field: "run", type: "nominal", title: "run" } as const;
  const x = { field: "step", type: "quantitative", title: "step" } as const;
  const lossName = o.lossName ?? "L";
  const gradName = runs.find((r) => r.grad !== undefined)?.grad?.name;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: o.title ?? "Learning curves",
    data: { values: rows },
    vconcat: [
      { title: "Loss", width: 420, height: 200, mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: { field: "loss", type: "quantitative", title: lossName }, color } },
      {
        title: "Prediction (dashed: target)",
        width: 420,
        height: 200,
        layer: [
          { mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: { field: "prediction", type: "quantitative", title: "ŷ", scale: { domain: [-0.05, 1.05] } }, color } },
          ...(targets.length > 0 ? [{ data: { values: targets }, mark: { type: "rule" as const, strokeDash: [6, 4], color: "#6b7280" }, encoding: { y: { field: "target", type: "quantitative" as const } } }] : []),
        ],
      },
      ...(gradName === undefined ? [] : [{
        title: `Gradient magnitude |∂${lossName}/∂${gradName}| (log scale)`,
        width: 420,
        height: 200,
        mark: { type: "line" as const, strokeWidth: 2 },
        encoding: { x, y: { field: "grad", type: "quantitative" as const, title: `|∂${lossName}/∂${gradName}|`, scale: { type: "log" as const } }, color },
      }]),
    ],
    config: { font: "DejaVu Sans", legend: { labelLimit: 360 } },
  };
}

/** One epoch of a classifier's training, as `nabla fit` records it. */
export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

/** Loss and accuracy per epoch, train against test (two panels). */
export function epochCurvesSpec(history: readonly EpochPoint[], o: { title?: string } = {}): VlSpec {
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, split: "train", loss: h.trainLoss, accuracy: h.trainAccuracy },
    { epoch: h.epoch, split: "test", loss: h.testLoss, accuracy: h.testAccuracy },
  ]);
  const x = { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } } as const;
  const color = { field: "split", type: "nominal", title: "data", sort: ["train", "test"] } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: o.title ?? "Learning curves",
    data: { values: rows },
    hconcat: [
      { title: "Cross-entropy loss", width: 300, height: 220, mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { field: "loss", type: "quantitative", title: "loss" }, color } },
      { title: "Accuracy", width: 300, height: 220, mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { field: "accuracy", type: "quantitative", title: "accuracy", axis: { format: ".1%" }, scale: { zero: false } }, color } },
    ],
    config: { font: "DejaVu Sans", legend: { labelLimit: 360 } },
  };
}
