// Explicit layers in the style of a from-scratch mlp.py: forward caches what backward needs,
// backward(gradOut) returns ∂L/∂input and stores parameter gradients. No autograd: each layer runs
// the shared op definitions (and composites) on a local tape.
import * as C from "../ops/composites.js";
import { ShapeError } from "../tensor/errors.js";
import { fmt } from "../tensor/shape.js";
import { type Raw, rawF, Tape } from "./tape.js";

/** A layer with an explicit backward pass. */
export abstract class Layer {
  protected tape = new Tape();
  protected input: Raw | null = null;
  protected output: Raw | null = null;

  /** Runs the layer, caching what backward needs. */
  forward(x: Raw): Raw {
    this.tape.reset();
    this.input = x;
    this.output = this.compute(x, this.tape);
    return this.output;
  }

  /** ∂L/∂input from ∂L/∂output; parameter gradients are stored on the layer. */
  backward(gradOut: Raw): Raw {
    if (this.input === null || this.output === null) throw new ShapeError("backward() needs a forward() first.", { op: this.constructor.name });
    if (gradOut.shape.join(",") !== this.output.shape.join(",")) {
      throw new ShapeError(`gradOut must have the output's shape ${fmt(this.output.shape)}, got ${fmt(gradOut.shape)}.`, { op: `${this.constructor.name}.backward` });
    }
    const [gx, ...gp] = this.tape.backward(this.output, gradOut, [this.input, ...this.params()]);
    this.storeGrads(gp);
    return gx as Raw;
  }

  /** Parameters (empty for activations). */
  params(): Raw[] {
    return [];
  }

  protected storeGrads(_grads: Raw[]): void {}

  protected abstract compute(x: Raw, tape: Tape): Raw;
}

/** Weight layouts: PyTorch's y = x Wᵀ + b (W: out×in), column-vector y = W x + b, or y = x W + b (W: in×out). */
export type Layout = "xWT" | "Wx" | "xW";

/** A layer with a weight and an optional bias, and their gradients after backward. */
export abstract class WeightLayer extends Layer {
  gradWeight: Raw | null = null;
  gradBias: Raw | null = null;
  constructor(public weight: Raw, public bias: Raw | null) {
    super();
  }
  override params(): Raw[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }
  protected override storeGrads([gw, gb]: Raw[]): void {
    this.gradWeight = gw ?? null;
    this.gradBias = gb ?? null;
  }
}

/** Affine layer with explicit gradients `gradWeight` and `gradBias`. */
export class LinearLayer extends WeightLayer {
  constructor(weight: Raw, bias: Raw | null, readonly layout: Layout = "xWT") {
    super(weight, bias);
    const [r, c] = weight.shape;
    if (weight.shape.length !== 2 || (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== (layout === "xW" ? c : r)))) {
      throw new ShapeError(`weight must be 2-d and bias 1-d with one entry per output, got ${fmt(weight.shape)} and ${bias === null ? "no bias" : fmt(bias.shape)}.`, { op: "LinearLayer" });
    }
  }
  protected compute(x: Raw, tape: Tape): Raw {
    const F = tape.F;
    const vec = x.shape.length === 1;
    let y: Raw;
    if (this.layout === "Wx") {
      // y = W x (+ b): x is a column (in) or columns (in × N); b broadcasts over columns
      const xc = vec ? F.reshape(x, [x.shape[0] as number, 1]) : x;
      y = F.matmul(this.weight, xc);
      if (this.bias !== null) y = F.add(y, F.reshape(this.bias, [this.bias.shape[0] as number, 1]));
      return vec ? F.reshape(y, [y.shape[0] as number]) : y;
    }
    const xr = vec ? F.reshape(x, [1, x.shape[0] as number]) : x;
    y = F.matmul(xr, this.layout === "xW" ? this.weight : F.transposeLast(this.weight));
    if (this.bias !== null) y = F.add(y, this.bias);
    return vec ? F.reshape(y, [y.shape[1] as number]) : y;
  }
}

/** An activation layer from a function of the tape's Functional. */
function activation(name: string, f: (x: Raw, F: Tape["F"]) => Raw): new () => Layer {
  const cls = class extends Layer {
    protected compute(x: Raw, tape: Tape): Raw {
      return f(x, tape.F);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

export const ReluLayer = activation("ReluLayer", (x, F) => F.relu(x));
export const SigmoidLayer = activation("SigmoidLayer", (x, F) => F.sigmoid(x));
export const TanhLayer = activation("TanhLayer", (x, F) => F.tanh(x));

export class LeakyReluLayer extends Layer {
  constructor(readonly slope = 0.01) { super(); }
  protected compute(x: Raw, t: Tape): Raw { return C.leakyRelu(x, this.slope, t.F); }
}

export class GeluLayer extends Layer {
  constructor(readonly approximate: "none" | "tanh" = "none") { super(); }
  protected compute(x: Raw, t: Tape): Raw { return C.gelu(x, this.approximate, t.F); }
}

export class SoftplusLayer extends Layer {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  protected compute(x: Raw, t: Tape): Raw { return t.F.softplus(x, this.beta, this.threshold); }
}

export class SoftmaxLayer extends Layer {
  constructor(readonly axis = -1) { super(); }
  protected compute(x: Raw, t: Tape): Raw { return C.softmax(x, this.axis, t.F); }
}

/** A loss layer: forward(prediction, target) → scalar; backward() → ∂L/∂prediction. */
export abstract class LossLayer {
  protected tape = new Tape();
  private cache: { pred: Raw; out: Raw } | null = null;
  constructor(readonly reduction: C.Reduction = "mean") {}

  forward(pred: Raw, target: Raw): Raw {
    this.tape.reset();
    const out = this.compute(pred, target, this.tape);
    this.cache = { pred, out };
    return out;
  }

  /** ∂L/∂prediction (gradOut defaults to 1 for a scalar loss). */
  backward(gradOut?: Raw): Raw {
    if (this.cache === null) throw new ShapeError("backward() needs a forward() first.", { op: this.constructor.name });
    const { pred, out } = this.cache;
    const g = gradOut ?? rawF.add(rawF.mul(out, 0), 1);
    return this.tape.backward(out, g, [pred])[0] as Raw;
  }

  protected abstract compute(pred: Raw, target: Raw, tape: Tape): Raw;
}

function sameShape(op: string, a: Raw, b: Raw): void {
  if (a.shape.join(",") !== b.shape.join(",")) throw new ShapeError(`prediction and target must have the same shape, got ${fmt(a.shape)} and ${fmt(b.shape)}.`, { op });
}

export class MseLossLayer extends LossLayer {
  constructor(reduction: C.Reduction = "mean", readonly half = false) { super(reduction); }
  protected compute(p: Raw, y: Raw, t: Tape): Raw { sameShape("MseLossLayer", p, y); return C.mse(p, y, this.reduction, this.half, t.F); }
}

export class BceLossLayer extends LossLayer {
  protected compute(p: Raw, y: Raw, t: Tape): Raw { sameShape("BceLossLayer", p, y); return C.bce(p, y, this.reduction, t.F); }
}

export class HuberLossLayer extends LossLayer {
  constructor(readonly delta = 1, reduction: C.Reduction = "mean") { super(reduction); }
  protected compute(p: Raw, y: Raw, t: Tape): Raw { sameShape("HuberLossLayer", p, y); return C.huber(p, y, this.delta, this.reduction, t.F); }
}

/** Softmax cross-entropy from logits; target: class probabilities (or one-hot rows), same shape. */
export class CrossEntropyLossLayer extends LossLayer {
  protected compute(z: Raw, y: Raw, t: Tape): Raw {
    sameShape("CrossEntropyLossLayer", z, y);
    const axis = z.shape.length >= 2 ? 1 : 0;
    return C.nllOfProbabilities(t.F.logSoftmax(z, axis), y, axis, this.reduction, t.F);
  }
}

