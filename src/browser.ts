// nabla's browser entry: every part of the public API that runs without Node (no files, worker
// threads, data sets or checkpoints on disk), plus the pieces the web playground draws with.
// src/index.ts re-exports all of it and adds the Node-only parts, so the two surfaces cannot drift.
// A dependency-cruiser rule keeps everything this file reaches free of Node's built-in modules.
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
export { mseLoss, l1Loss, huberLoss, bceLoss, bceWithLogitsLoss, crossEntropy, nllLoss, oneHot, type Reduction } from "./nn/losses.js";
export { grad, valueAndGrad, gradients } from "./autograd/grad.js";
export { jacobian, hessian, jvp, vjp } from "./autograd/transforms.js";
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradcheckResult } from "./autograd/gradcheck.js";
export { noGrad, detectAnomaly, setAnomalyMode, isGradEnabled } from "./autograd/mode.js";
export { onTrace, type TraceEvent, type TraceListener } from "./autograd/events.js";
export type { BackwardOptions } from "./autograd/engine.js";
export type { IndexSpec } from "./autograd/index-spec.js";
export { Random, manualSeed } from "./tensor/random.js";
export type { DType } from "./tensor/dtype.js";
export type { Shape } from "./tensor/shape.js";
export {
  NablaError, ShapeError, AxisError, DTypeError, ValueError, AutogradError, AnomalyError, GradcheckError,
} from "./tensor/errors.js";
export { kernels, setKernels, jsKernels, simdKernels, simdFma, setNumThreads, numThreads, threadsReady, type Kernels } from "./kernels/index.js";
export { ops, registry, type OpName } from "./ops/registry.js";
export { init, fans, type InitName, type InitOptions } from "./nn/init.js";
export {
  Module, Linear, Sequential, ReLU, Sigmoid, Tanh, SiLU, Identity, LeakyReLU, GELU, Softplus, ELU, Softmax,
} from "./nn/modules.js";
export {
  conv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, flatten, interpolate, gaussianBlur, dropout, batchNorm2d,
  type Conv2dOptions, type PoolOptions, type InterpolateOptions, type DropoutOptions, type BatchNormOptions,
} from "./nn/vision.js";
export { Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, BatchNorm2d } from "./nn/conv-modules.js";
export { parseIdx, encodeIdxUint8, type IdxArray } from "./data/idx.js";
export { order, batchesOf, toBatch, type Normalize } from "./data/batches.js";
export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, clipGradNorm, clipGradValue } from "./optim/optimizer.js";
export { StepLR, ExponentialLR, CosineAnnealingLR } from "./optim/schedule.js";
export {
  Layer, LinearLayer, ReluLayer, LeakyReluLayer, SigmoidLayer, TanhLayer, GeluLayer, SoftplusLayer, SoftmaxLayer,
  LossLayer, MseLossLayer, BceLossLayer, HuberLossLayer, CrossEntropyLossLayer, type Layout,
} from "./layers/layers.js";
export { Conv2dLayer, MaxPool2dLayer, type ConvLayerOptions } from "./layers/conv-layers.js";
export { parseProgram, parseExpression } from "./expr/parser.js";
export { evaluate, run as runProgram, type Env } from "./expr/evaluate.js";
export { ParseError, EvalError } from "./expr/errors.js";
export { FUNCTIONS } from "./expr/functions.js";
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
