// Explicit convolution and max-pool layers (no autograd): forward caches, backward(gradOut) returns
// ∂L/∂input and stores ∂L/∂weight, ∂L/∂bias. They run the conv2d and maxPool2d op definitions on
// the layer's tape, so the backward pass is those ops' own rules.
import { maxPool2d } from "../ops/max-pool.js";
import { conv2dBias } from "../ops/spatial.js";
import { type Pair, pair, type PairLike } from "../ops/window.js";
import { ShapeError } from "../tensor/errors.js";
import { fmt } from "../tensor/shape.js";
import { Layer, WeightLayer } from "./layers.js";
import type { Raw, Tape } from "./tape.js";

/** Stride, padding, dilation and groups of a convolution (PyTorch's defaults). */
export interface ConvLayerOptions {
  readonly stride?: PairLike;
  readonly padding?: PairLike;
  readonly dilation?: PairLike;
  readonly groups?: number;
}

/** conv2d(x, W) + b over NCHW x; W [out, in/groups, kh, kw], b [out] or none. */
export class Conv2dLayer extends WeightLayer {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  constructor(weight: Raw, bias: Raw | null, o: ConvLayerOptions = {}) {
    super(weight, bias);
    if (weight.shape.length !== 4 || (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== weight.shape[0]))) {
      throw new ShapeError(`weight must be 4-d [out, in/groups, kh, kw] and bias 1-d [out], got ${fmt(weight.shape)} and ${bias === null ? "no bias" : fmt(bias.shape)}.`, { op: "Conv2dLayer" });
    }
    this.stride = pair("Conv2dLayer", "stride", o.stride ?? 1, 1);
    this.padding = pair("Conv2dLayer", "padding", o.padding ?? 0, 0);
    this.dilation = pair("Conv2dLayer", "dilation", o.dilation ?? 1, 1);
    this.groups = o.groups ?? 1;
  }
  protected compute(x: Raw, tape: Tape): Raw {
    return conv2dBias(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups }, tape.F);
  }
}

/** Max pooling over NCHW x; the gradient goes to each window's first maximum (PyTorch). */
export class MaxPool2dLayer extends Layer {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  constructor(kernel: PairLike, o: { stride?: PairLike; padding?: PairLike; dilation?: PairLike } = {}) {
    super();
    this.kernel = pair("MaxPool2dLayer", "kernel size", kernel, 1);
    this.stride = pair("MaxPool2dLayer", "stride", o.stride ?? this.kernel, 1);
    this.padding = pair("MaxPool2dLayer", "padding", o.padding ?? 0, 0);
    this.dilation = pair("MaxPool2dLayer", "dilation", o.dilation ?? 1, 1);
  }
  protected compute(x: Raw, tape: Tape): Raw {
    return tape.F.apply(maxPool2d, [x], { kernel: this.kernel, stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}
