// Image modules (torch.nn names): state here, math in nn/vision.ts.
import type { Tensor } from "../autograd/tensor.js";
import type { PairLike } from "../ops/window.js";
import type { DType } from "../tensor/dtype.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import { init } from "./init.js";
import { Module } from "./modules.js";
import * as V from "./vision.js";

/** Conv2d(in, out, kernel): weight [out, in/groups, kh, kw], bias [out]; PyTorch's default initialisation. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly options: V.Conv2dOptions;
  constructor(
    readonly inChannels: number, readonly outChannels: number, readonly kernelSize: PairLike,
    o: V.Conv2dOptions & { bias?: boolean; seed?: number; generator?: Random; dtype?: DType } = {},
  ) {
    super();
    const groups = o.groups ?? 1;
    if (![inChannels, outChannels, groups].every((v) => Number.isInteger(v) && v >= 1) || inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ValueError(`channels must be positive integers divisible by groups, got in=${inChannels}, out=${outChannels}, groups=${groups}.`, { op: "Conv2d" });
    }
    const [kh, kw] = V.poolAttrs("Conv2d", kernelSize).kernel;
    this.options = { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups };
    V.convAttrs(this.options);
    const g = o.generator ?? new Random(o.seed ?? 0);
    const dtype = o.dtype ?? "float64";
    // PyTorch: kaiming_uniform(a = √5) for the weight, i.e. U(±1/√fan_in); the bias likewise
    const bound = 1 / Math.sqrt((inChannels / groups) * kh * kw);
    this.weight = this.register("weight", init("uniform", [outChannels, inChannels / groups, kh, kw], { generator: g, low: -bound, high: bound, dtype }));
    this.bias = o.bias === false ? null : this.register("bias", init("uniform", [outChannels], { generator: g, low: -bound, high: bound, dtype }));
  }
  forward(x: Tensor): Tensor {
    return V.conv2d(x, this.weight, this.bias, this.options);
  }
}

/** MaxPool2d(kernel, {stride = kernel, padding, dilation}). */
export class MaxPool2d extends Module {
  constructor(readonly kernelSize: PairLike, readonly options: V.PoolOptions = {}) {
    super();
    V.poolAttrs("MaxPool2d", kernelSize, options);
  }
  forward(x: Tensor): Tensor { return V.maxPool2d(x, this.kernelSize, this.options); }
}

/** AvgPool2d(kernel, {stride = kernel, padding}). */
export class AvgPool2d extends Module {
  constructor(readonly kernelSize: PairLike, readonly options: Omit<V.PoolOptions, "dilation"> = {}) {
    super();
    V.poolAttrs("AvgPool2d", kernelSize, options);
  }
  forward(x: Tensor): Tensor { return V.avgPool2d(x, this.kernelSize, this.options); }
}

/** AdaptiveAvgPool2d(size): average pooling to a fixed output size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: PairLike) { super(); }
  forward(x: Tensor): Tensor { return V.adaptiveAvgPool2d(x, this.outputSize); }
}

/** Flatten(startAxis = 1, endAxis = −1). */
export class Flatten extends Module {
  constructor(readonly startAxis = 1, readonly endAxis = -1) { super(); }
  forward(x: Tensor): Tensor { return V.flatten(x, { startAxis: this.startAxis, endAxis: this.endAxis }); }
}

/** Dropout(p): drops with a seeded generator in training mode, identity in eval mode. */
export class Dropout extends Module {
  private readonly generator: Random;
  constructor(readonly p = 0.5, o: { seed?: number; generator?: Random } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new ValueError(`p must be in [0, 1), got ${p}.`, { op: "Dropout" });
    this.generator = o.generator ?? new Random(o.seed ?? 0);
  }
  forward(x: Tensor): Tensor { return V.dropout(x, { p: this.p, training: this.training, generator: this.generator }); }
}

/** BatchNorm2d(C): learnable weight and bias, running mean and variance (buffers) updated in training. */
export class BatchNorm2d extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  constructor(readonly numFeatures: number, readonly o: { eps?: number; momentum?: number; affine?: boolean; dtype?: DType } = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new ValueError(`numFeatures must be a positive integer, got ${numFeatures}.`, { op: "BatchNorm2d" });
    const dtype = o.dtype ?? "float64";
    const affine = o.affine ?? true;
    this.weight = affine ? this.register("weight", init("constant", [numFeatures], { value: 1, dtype })) : null;
    this.bias = affine ? this.register("bias", init("zeros", [numFeatures], { dtype })) : null;
    this.runningMean = this.registerBuffer("runningMean", init("zeros", [numFeatures], { dtype }));
    this.runningVar = this.registerBuffer("runningVar", init("constant", [numFeatures], { value: 1, dtype }));
  }
  forward(x: Tensor): Tensor {
    return V.batchNorm2d(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: this.training, ...(this.o.eps === undefined ? {} : { eps: this.o.eps }), ...(this.o.momentum === undefined ? {} : { momentum: this.o.momentum }) });
  }
}
