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
} from "./autograd/functional.js";
export { relu, sigmoid, tanh, softmax, logSoftmax, leakyRelu, gelu, softplus, elu, silu } from "./nn/activations.js";
export { mseLoss, l1Loss, huberLoss, bceLoss, bceWithLogitsLoss, crossEntropy, nllLoss, type Reduction } from "./nn/losses.js";
export { grad, valueAndGrad, gradients } from "./autograd/grad.js";
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
export { kernels, setKernels, jsKernels, simdKernels, type Kernels } from "./kernels/index.js";
export { ops, registry, type OpName } from "./ops/registry.js";
