// What a solved problem recorded: the formatters (text, Markdown, LaTeX, JSON) read only this.
import type { Tensor } from "../autograd/tensor.js";
import type { Statement } from "../expr/ast.js";
import type { Expr } from "../expr/ast.js";
import type { ChainStep, LocalDerivative } from "../symbolic/chain.js";
import type { Rounding } from "../symbolic/names.js";

/** One sample's forward values, gradients and chain-rule steps within an iteration. */
export interface SampleTrace {
  readonly index: number;
  readonly values: ReadonlyMap<string, Tensor>;
  readonly grads: ReadonlyMap<string, Tensor>;
  readonly forward: readonly { readonly name: string; readonly formula: Expr; readonly value: Tensor }[];
  readonly steps: readonly ChainStep[];
  readonly locals: readonly LocalDerivative[];
  readonly loss: number;
}

/** A parameter update. */
export interface Update {
  readonly name: string;
  readonly before: Tensor;
  readonly grad: Tensor;
  readonly after: Tensor;
}

export interface IterationTrace {
  readonly iteration: number;
  /** The samples traced step by step (all, or the first few of a large batch). */
  readonly samples: readonly SampleTrace[];
  /** How many samples the iteration used. */
  readonly sampleCount: number;
  readonly loss: number;
  readonly grads: ReadonlyMap<string, Tensor>;
  readonly updates: readonly Update[];
  readonly detailed: boolean;
}

/** The optimizer as the formatters need it. */
export interface OptimizerSpec {
  readonly kind: "sgd" | "adam" | "adamw" | "rmsprop" | "adagrad";
  readonly lr: number;
  /** True when the update is exactly w ← w − η·∂L/∂w (plain SGD: no momentum, no decay). */
  readonly plainGradientStep: boolean;
  /** The update rule in words and symbols, for the conventions list. */
  readonly rule: string;
}

/** Everything a run computed, and what the formatters need to print it. */
export interface Solution {
  readonly title: string;
  readonly description: string | null;
  readonly source: string | null;
  readonly notes: string | null;
  readonly program: readonly Statement[];
  readonly lossName: string;
  readonly output: string;
  readonly target: string;
  readonly parameterNames: readonly string[];
  readonly mode: "single" | "per-sample" | "batch-mean" | "batch-sum";
  /** False when the problem asks for no updates (iterations: 0). */
  readonly trained: boolean;
  readonly rounding: Rounding;
  /** Display layout of gradients. */
  readonly layout: "denominator" | "numerator";
  readonly conventions: readonly string[];
  /** Quantities to show (null: all). */
  readonly show: readonly string[] | null;
  readonly iterations: readonly IterationTrace[];
  readonly lossHistory: readonly number[];
  readonly outputHistory: readonly number[][];
  /** |∂L/∂output| per iteration (first sample): how much signal reaches the prediction. */
  readonly outputGradHistory: readonly number[];
  /** ‖∂L/∂q‖ per iteration (first sample) for every statement q of the model. */
  readonly gradNormHistory: ReadonlyMap<string, readonly number[]>;
  readonly finalParameters: ReadonlyMap<string, Tensor>;
  /** The optimizer (null without one). */
  readonly optimizer: OptimizerSpec | null;
  /** Every quantity by its stable key (see README "Quantity names"), in computation order. */
  readonly quantities: ReadonlyMap<string, Tensor>;
}

