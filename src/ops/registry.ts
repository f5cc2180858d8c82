// Every primitive op. The op-name union is derived from this table; generated tests iterate it.
import { argmax } from "./argmax.js";
import { bce } from "./bce.js";
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, pow, sub } from "./binary.js";
import { clamp } from "./clamp.js";
import { concat } from "./concat.js";
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from "./conv2d.js";
import { expand } from "./expand.js";
import { max, min } from "./extremum.js";
import { logSoftmax } from "./log-softmax.js";
import { logsumexp } from "./logsumexp.js";
import { matmul } from "./matmul.js";
import { maxPool2d, maxPool2dGather, maxPool2dScatter } from "./max-pool.js";
import { permute } from "./permute.js";
import { powScalar } from "./pow-scalar.js";
import { reshape } from "./reshape.js";
import { sign } from "./sign.js";
import { pad, slice } from "./slice.js";
import { softplus } from "./softplus.js";
import { sum } from "./sum.js";
import { abs, cos, erf, exp, log, neg, relu, sigmoid, sin, sqrt, tanh } from "./unary.js";
import { where } from "./where.js";

export const ops = {
  add, sub, mul, div, pow, maximum, minimum, gt, ge, lt, le, eq,
  neg, exp, log, sqrt, abs, tanh, sigmoid, relu, erf, sin, cos, sign, powScalar, softplus, clamp,
  where, sum, max, min, argmax, logsumexp, logSoftmax, matmul,
  reshape, permute, expand, slice, pad, concat, bce,
  conv2d, conv2dInputGrad, conv2dWeightGrad, maxPool2d, maxPool2dScatter, maxPool2dGather,
} as const;

/** The name of every primitive op. */
export type OpName = keyof typeof ops;

/** The registry view used by generated tests. */
export const registry = Object.values(ops).map((op) => op.registered);
