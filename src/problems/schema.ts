// The problem-file format, as a zod schema (documented in README "Problem files").
import { z } from "zod";
import { isReservedName, reservedNameMessage } from "../expr/ast.js";

const num = z.number().refine(Number.isFinite, "must be a finite number");
/** A number, vector or matrix. */
export const Value = z.union([num, z.array(num).min(1), z.array(z.array(num).min(1)).min(1)]);
export type Value = z.infer<typeof Value>;

/** A quantity's name; `__proto__`, `constructor` … are refused (see isReservedName). */
const name = z.string().superRefine((n, ctx) => { if (isReservedName(n)) ctx.addIssue({ code: "custom", message: reservedNameMessage(n) }); });

const INITS = ["zeros", "constant", "uniform", "normal", "xavier-uniform", "xavier-normal", "kaiming-uniform", "kaiming-normal"] as const;
export const InitKind = z.enum(INITS);

/** A parameter initialised from a seeded generator instead of given numbers. */
export const Init = z.strictObject({
  init: InitKind,
  shape: z.array(z.number().int().positive()).max(4),
  seed: z.number().int().default(0),
  value: num.optional(),
  low: num.optional(),
  high: num.optional(),
  mean: num.optional(),
  std: num.optional(),
});
export type Init = z.infer<typeof Init>;

const Linear = z.strictObject({
  in: z.number().int().positive(),
  out: z.number().int().positive(),
  weight: Value.optional(),
  bias: z.union([Value, z.literal(false)]).optional(),
  init: InitKind.optional(),
  seed: z.number().int().optional(),
});

const ACTIVATIONS = ["relu", "sigmoid", "tanh", "gelu", "softplus", "softmax", "silu", "elu", "identity"] as const;
export const Layer = z.union([
  z.enum(ACTIVATIONS),
  z.strictObject({ linear: Linear }),
  z.strictObject({ "leaky-relu": z.strictObject({ slope: num }) }),
  z.strictObject({ scale: num }),
]);
export type Layer = z.infer<typeof Layer>;

export const Model = z.strictObject({
  formulas: z.string().min(1).optional(),
  layers: z.array(Layer).min(1).optional(),
  /** Name of the input a layer stack reads. */
  input: name.default("x"),
  /** The prediction (default: the last formula, or the layer stack's output "yhat"). */
  output: name.optional(),
}).refine((m) => (m.formulas === undefined) !== (m.layers === undefined), { message: "give exactly one of `formulas` or `layers`" });

export const LossKind = z.enum(["mse", "l1", "huber", "bce", "bce-with-logits", "cross-entropy", "formula"]);
export const Loss = z.strictObject({
  kind: LossKind,
  name: name.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain name").default("L"),
  prediction: name.optional(),
  target: name.default("y"),
  /** Multiply squared error by ½ (PyTorch: no). */
  half: z.boolean().default(false),
  /** How a vector of per-element losses is combined (PyTorch: mean). */
  reduction: z.enum(["mean", "sum"]).default("mean"),
  delta: num.refine((d) => d > 0, "must be positive").default(1),
  /** cross-entropy: is the prediction logits (PyTorch) or probabilities (after softmax)? */
  from: z.enum(["logits", "probabilities"]).default("logits"),
  formula: z.string().optional(),
}).refine((l) => l.kind !== "formula" || l.formula !== undefined, { message: "kind: formula needs `formula`", path: ["formula"] });

export const Optimizer = z.strictObject({
  kind: z.enum(["sgd", "adam", "adamw", "rmsprop", "adagrad"]),
  lr: num.refine((v) => v > 0, "must be positive"),
  momentum: num.default(0),
  nesterov: z.boolean().default(false),
  weightDecay: num.default(0),
  betas: z.tuple([num, num]).default([0.9, 0.999]),
  eps: num.default(1e-8),
  alpha: num.default(0.99),
});

export const Training = z.strictObject({
  iterations: z.number().int().min(0).max(100000).default(1),
  /** single: the inputs as one sample; per-sample: one sample per iteration, in order; batch-mean/-sum: all samples per iteration. */
  mode: z.enum(["single", "per-sample", "batch-mean", "batch-sum"]).default("single"),
});

export const Report = z.strictObject({
  digits: z.number().int().min(1).max(17).default(5),
  rounding: z.enum(["significant", "decimals"]).default("significant"),
  /** Gradient layout for display: denominator (same shape as the variable, PyTorch) or numerator (transposed). */
  layout: z.enum(["denominator", "numerator"]).default("denominator"),
  /** Iterations printed in full before the rest is summarised. */
  fullIterations: z.number().int().min(1).default(3),
  /** Only these quantities in the forward table and chain-rule steps (default: all). */
  quantities: z.array(z.string()).optional(),
});

export const Problem = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  source: z.string().optional(),
  notes: z.string().optional(),
  model: Model,
  inputs: z.record(z.string(), Value).default({}),
  parameters: z.record(z.string(), z.union([Value, Init])).default({}),
  data: z.array(z.record(z.string(), Value)).min(1).optional(),
  /** Extra names to differentiate with respect to (inputs, for example). */
  wrt: z.array(name).default([]),
  loss: Loss,
  optimizer: Optimizer.optional(),
  training: Training.default({ iterations: 1, mode: "single" }),
  report: Report.default({ digits: 5, rounding: "significant", layout: "denominator", fullIterations: 3 }),
  conventions: z.strictObject({
    /** Linear layers: xWT (y = x Wᵀ + b, PyTorch), Wx (y = W x + b, column vectors), xW (y = x W + b). */
    layout: z.enum(["xWT", "Wx", "xW"]).default("xWT"),
  }).default({ layout: "xWT" }),
});
export type Problem = z.infer<typeof Problem>;
