// For instructors: language-neutral test cases for the layers a from-scratch homework implements
// (seed 001's mlp.py), computed by nabla's explicit layers, and a grader for a submission's results.
// The case format ("nabla-cases/1") is documented in docs/cases.md.
import { Tensor } from "../autograd/tensor.js";
import { BceLossLayer, CrossEntropyLossLayer, type Layer, LinearLayer, type LossLayer, MseLossLayer, ReluLayer, SigmoidLayer, TanhLayer } from "../layers/layers.js";
import { Conv2dLayer } from "../layers/conv-layers.js";
import type { Raw } from "../layers/tape.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";

/** An array in a case file: its shape and its numbers in row-major order. */
export interface JsonArray {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** One test case: inputs, parameters, the upstream gradient, and what a correct layer returns. */
export interface Case {
  readonly id: number;
  readonly inputs: Readonly<Record<string, JsonArray>>;
  readonly params: Readonly<Record<string, JsonArray>>;
  /** ∂L/∂output given to backward (losses: none, their gradient is of the loss itself). */
  readonly gradOut: JsonArray | null;
  readonly expected: { readonly output: JsonArray; readonly grads: Readonly<Record<string, JsonArray>> };
}

/** A file of cases for one layer. */
export interface CaseFile {
  readonly format: "nabla-cases/1";
  readonly layer: string;
  readonly conventions: readonly string[];
  readonly seed: number;
  readonly cases: readonly Case[];
}

export const CASE_LAYERS = ["linear", "relu", "sigmoid", "tanh", "mse", "bce", "cross-entropy", "conv2d"] as const;
export type CaseLayer = (typeof CASE_LAYERS)[number];

const json = (r: Raw): JsonArray => ({ shape: [...r.shape], data: Array.from(r.data) });
const raw = (shape: readonly number[], f: () => number): Raw => {
  const t = new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f), shape);
  return { data: t.data, shape: t.shape, dtype: "float64" };
};

const CONVENTIONS: Readonly<Record<CaseLayer, readonly string[]>> = {
  linear: ["y = x Wᵀ + b (PyTorch's layout: W is out×in, x is batch×in)", "backward returns ∂⟨gradOut, y⟩/∂x, /∂W, /∂b (W's and b's shapes)"],
  relu: ["relu′(0) = 0"],
  sigmoid: ["σ(x) = 1/(1 + e⁻ˣ)"],
  tanh: ["tanh′ = 1 − tanh²"],
  mse: ["L = mean((ŷ − y)²) over every element, no ½", "grads: ∂L/∂ŷ"],
  bce: ["L = −mean(y ln ŷ + (1 − y) ln(1 − ŷ)), natural log, each log clamped at −100", "grads: ∂L/∂ŷ"],
  "cross-entropy": ["L = −mean over the batch of Σ_c y_c · log softmax(z)_c (y: one-hot rows), natural log", "grads: ∂L/∂z"],
  conv2d: ["y = conv2d(x, W) + b, NCHW, cross-correlation (no kernel flip) as PyTorch, stride 1, no padding", "x: batch×in×H×W, W: out×in×kh×kw, b: out", "backward returns ∂⟨gradOut, y⟩/∂x, /∂W, /∂b"],
};

/** `n` seeded cases for one layer. */
export function makeCases(layer: CaseLayer, n: number, seed: number): CaseFile {
  if (!CASE_LAYERS.includes(layer)) throw new ValueError(`unknown layer ${JSON.stringify(layer)}: choose one of ${CASE_LAYERS.join(", ")}.`, { op: "cases" });
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new ValueError(`--n must be an integer from 1 to 10000, got ${n}.`, { op: "cases" });
  const rng = new Random(seed);
  const u = (): number => rng.uniform() * 2 - 1;
  const size = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  const cases = Array.from({ length: n }, (_, i): Case => {
    const batch = size(1, 4), width = size(1, 5);
    if (layer === "linear") {
      const out = size(1, 4);
      const x = raw([batch, width], u), W = raw([out, width], u), b = raw([out], u), g = raw([batch, out], u);
      const l = new LinearLayer(W, b, "xWT");
      const y = l.forward(x);
      const dx = l.backward(g);
      return { id: i + 1, inputs: { x: json(x) }, params: { W: json(W), b: json(b) }, gradOut: json(g), expected: { output: json(y), grads: { x: json(dx), W: json(l.gradWeight as Raw), b: json(l.gradBias as Raw) } } };
    }
    if (layer === "conv2d") {
      const cin = size(1, 2), cout = size(1, 3), k = size(1, 3), h = size(k, k + 3), w = size(k, k + 3);
      const x = raw([batch, cin, h, w], u), W = raw([cout, cin, k, k], u), b = raw([cout], u);
      const l = new Conv2dLayer(W, b);
      const y = l.forward(x);
      const g = raw([...y.shape], u);
      const dx = l.backward(g);
      return { id: i + 1, inputs: { x: json(x) }, params: { W: json(W), b: json(b) }, gradOut: json(g), expected: { output: json(y), grads: { x: json(dx), W: json(l.gradWeight as Raw), b: json(l.gradBias as Raw) } } };
    }
    if (layer === "relu" || layer === "sigmoid" || layer === "tanh") {
      const l: Layer = layer === "relu" ? new ReluLayer() : layer === "sigmoid" ? new SigmoidLayer() : new TanhLayer();
      const x = raw([batch, width], () => (layer === "relu" && rng.uniform() < 0.1 ? 0 : u() * 3)), g = raw([batch, width], u);
      const y = l.forward(x);
      return { id: i + 1, inputs: { x: json(x) }, params: {}, gradOut: json(g), expected: { output: json(y), grads: { x: json(l.backward(g)) } } };
    }
    const loss: LossLayer = layer === "mse" ? new MseLossLayer() : layer === "bce" ? new BceLossLayer() : new CrossEntropyLossLayer();
    const pred = raw([batch, width], layer === "bce" ? () => 0.02 + 0.96 * rng.uniform() : () => u() * 3);
    const target = layer === "mse" ? raw([batch, width], u)
      : layer === "bce" ? raw([batch, width], () => (rng.uniform() < 0.5 ? 0 : 1))
      : oneHot(batch, width, rng);
    const y = loss.forward(pred, target);
    return { id: i + 1, inputs: { prediction: json(pred), target: json(target) }, params: {}, gradOut: null, expected: { output: json(y), grads: { prediction: json(loss.backward()) } } };
  });
  return { format: "nabla-cases/1", layer, conventions: CONVENTIONS[layer], seed, cases };
}

function oneHot(batch: number, classes: number, rng: Random): Raw {
  const hot = Array.from({ length: batch }, () => Math.floor(rng.uniform() * classes));
  let k = 0;
  return raw([batch, classes], () => { const row = Math.floor(k / classes), col = k % classes; k++; return hot[row] === col ? 1 : 0; });
}
