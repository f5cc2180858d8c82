// nabla's browser entry: the public API less what needs Node (files, worker threads, data sets on
// disk, checkpoints on disk), plus the pieces the web playground draws with. A dependency-cruiser
// rule keeps everything it reaches free of Node's built-in modules.
export { Tensor, type NestedArray } from "./autograd/tensor.js";
export {
  tensor, zeros, ones, full, zerosLike, onesLike, scalar, arange, linspace, eye, rand, randn,
  type CreateOptions, type TensorData,
} from "./autograd/creation.js";
export {
  add, sub, mul, div, pow, maximum, minimum, neg, exp, log, sqrt, abs, erf, clamp, matmul,
  sum, mean, max, min, logsumexp, argmax, reshape, transpose, permute, squeeze, unsqueeze, expand,
  where, concat, stack, type AxisOptions,
} from "./autograd/tensor-functions.js";
export { relu, sigmoid, tanh, softmax, logSoftmax, leakyRelu, gelu, softplus, elu, silu } from "./nn/activations.js";
export { mseLoss, l1Loss, huberLoss, bceLoss, bceWithLogitsLoss, crossEntropy, nllLoss, type Reduction } from "./nn/losses.js";
export { grad, valueAndGrad, gradients } from "./autograd/grad.js";
export { noGrad } from "./autograd/mode.js";
export { Random, manualSeed } from "./tensor/random.js";
export { NablaError, ShapeError, ValueError } from "./tensor/errors.js";
export { parseProblem, ProblemError, locator } from "./problems/load.js";
export { compile, type Compiled } from "./problems/compile.js";
export { solve, solveSteps, type SolveOptions, type IterationProgress } from "./problems/solve.js";
export { checkAnswers, type CheckReport, type Verdict } from "./problems/check.js";
export { checkTexts } from "./problems/check-text.js";
export { parseAnswers } from "./problems/answers.js";
export { problemGraph } from "./problems/graph.js";
export type { Solution, SampleTrace, IterationTrace } from "./solution/solution.js";
export type { ChainStep } from "./symbolic/chain.js";
export { toJson as solutionToJson } from "./solution/format-json.js";
export { stepChain } from "./solution/document.js";
export { printExpr } from "./symbolic/print-ast.js";
export { formatNumber, formatValue, displayName, gradSymbol, type Rounding } from "./symbolic/names.js";
export { toDot, type Graph, type GraphNode } from "./viz/graph.js";
export { ACTIVATIONS, activationSeries, activationsSpec, curvesSpec, type ActivationPoint, type VlSpec } from "./viz/plot.js";
export { dream, classify, DEFAULT_DREAM, type DreamTarget, type DreamStep, type DreamOptions } from "./dream/dream.js";
export { modelFromSafetensors, type ModelInfo, type Sha256 } from "./train/safetensors.js";
export type { Sequential, Module } from "./nn/modules.js";
