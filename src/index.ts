// nabla's public API: the one export surface.
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
export { kernels, setKernels, jsKernels, simdKernels, setNumThreads, numThreads, threadsReady, type Kernels } from "./kernels/index.js";
export { ops, registry, type OpName } from "./ops/registry.js";
export { init, fans, type InitName, type InitOptions } from "./nn/init.js";
export {
  Module, Linear, Sequential, ReLU, Sigmoid, Tanh, SiLU, Identity, LeakyReLU, GELU, Softplus, ELU, Softmax,
  saveParameters, loadParameters,
} from "./nn/modules.js";
export { oneHot } from "./nn/losses.js";
export {
  conv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, flatten, interpolate, gaussianBlur, dropout, batchNorm2d,
  type Conv2dOptions, type PoolOptions, type InterpolateOptions, type DropoutOptions, type BatchNormOptions,
} from "./nn/vision.js";
export { Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, BatchNorm2d } from "./nn/conv-modules.js";
export { parseIdx, encodeIdxUint8, type IdxArray } from "./data/idx.js";
export { loadImageSet, locateDataset, readIdxFile, takeFirst, FASHION_MNIST_CLASSES, DEBIAN_FASHION_MNIST, type ImageSet, type Split } from "./data/datasets.js";
export { order, batchesOf, toBatch, type Normalize } from "./data/batches.js";
export { Progress, progressLine, clock, type ProgressState } from "./data/progress.js";
export { fit, evaluate as evaluateClassifier, type EpochRecord, type FitOptions } from "./train/fit.js";
export { buildModel, parseModelFile, makeOptimizer, type Architecture, type ModelFile, type LayerSpec } from "./train/model-spec.js";
export { saveModel, loadModel, encodeSafetensors, decodeSafetensors, type ModelInfo } from "./train/checkpoint.js";
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
export { parseProblem, ProblemError } from "./problems/load.js";
export { compile, type Compiled } from "./problems/compile.js";
export { solve, type SolveOptions } from "./problems/solve.js";
export { checkAnswers, type CheckReport, type Verdict } from "./problems/check.js";
export { parseAnswers } from "./problems/answers.js";
export type { Solution } from "./solution/solution.js";
export { toJson as solutionToJson } from "./solution/format-json.js";
