// Optimizers update parameter storage in place (like PyTorch's in-place updates), through the
// backend (which counts the write); per-parameter state lives in Float64Arrays so float32
// parameters keep float64 moments.
import { backend } from "../backend/backend.js";
import type { Kernels } from "../kernels/index.js";
import { Tensor } from "../autograd/tensor.js";
import { ValueError } from "../tensor/errors.js";

type Updater = (data: Tensor["data"]) => void;

/** What every optimizer offers. */
export abstract class Optimizer {
  /** Current learning rate (schedulers change it). */
  lr: number;
  /** Steps taken. */
  stepCount = 0;
  protected readonly state = new Map<Tensor, Record<string, Float64Array>>();

  constructor(readonly params: readonly Tensor[], lr: number, readonly name: string) {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new ValueError(`learning rate must be a positive number, got ${lr}.`, { op: name });
    for (const p of params) {
      if (!p.isLeaf || !p.requiresGrad) throw new ValueError("parameters must be leaf tensors that require grad.", { op: name, hint: "Use tensor(…, {requiresGrad: true})." });
    }
    this.lr = lr;
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Applies one update from the current gradients (parameters without a gradient are skipped). */
  step(): void {
    this.stepCount++;
    const be = backend();
    let updaters = this.updaters;
    if (updaters === null || updaters.length !== this.params.length) updaters = this.updaters = this.params.map((p) => this.updaterOf(p));
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i] as Tensor;
      if (p.peekGrad() !== null) be.mutate(p.data, updaters[i] as Updater);
    }
  }

  // NOTE: one update function per parameter, made at the first step and reused (no closure per
  // parameter per step: a homework-sized step is a few microseconds); it reads the gradient then.
  private updaters: Updater[] | null = null;
  private updaterOf(p: Tensor): Updater {
    let s: Record<string, Float64Array> | undefined;
    return (data) => {
      if (s === undefined) this.state.set(p, (s = {}));
      // NOTE: peekGrad: the update keeps no reference to the gradient, so zeroGrad may still recycle it
      const g = p.peekGrad();
      if (g !== null) this.update(data, g.data, s, backend().kernels);
    };
  }

  /** Optimizer state of a parameter (momentum buffers, moments …), for display. */
  stateOf(p: Tensor): Readonly<Record<string, Float64Array>> {
    return this.state.get(p) ?? {};
  }

  protected buffer(s: Record<string, Float64Array>, key: string, n: number): [Float64Array, boolean] {
    const b = s[key];
    if (b !== undefined) return [b, false];
    const fresh = new Float64Array(n);
    s[key] = fresh;
    return [fresh, true];
  }

  protected abstract update(p: Tensor["data"], g: Tensor["data"], s: Record<string, Float64Array>, k: Kernels): void;
}

/** SGD with optional momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD). */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], o: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }) {
    super(params, o.lr, "SGD");
    this.momentum = o.momentum ?? 0;
    this.dampening = o.dampening ?? 0;
    this.nesterov = o.nesterov ?? false;
    this.weightDecay = o.weightDecay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) throw new ValueError("Nesterov momentum needs momentum > 0 and dampening 0.", { op: "SGD" });
  }
  // g ← g + λp;  b ← μb + (1 − τ)g (b = g at the first step);  d = g + μb (Nesterov) or b;  p ← p − η d  (kernels/optim.ts)
  protected update(p: Tensor["data"], g: Tensor["data"], s: Record<string, Float64Array>, k: Kernels): void {
    // NOTE: plain SGD (the usual homework step) without a momentum buffer or a tuple to destructure
    if (this.momentum === 0) return k.sgd(p, g, this, null, false);
    const [buf, fresh] = this.buffer(s, "momentum", p.length);
    k.sgd(p, g, this, buf, fresh);
  }
}

/** Adam and AdamW (decoupled weight decay) with bias correction (torch.optim.Adam/AdamW). */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  constructor(params: readonly Tensor[], o: { lr?: number; betas?: readonly [number, number]; eps?: number; weightDecay?: number; decoupled?: boolean } = {}) {
    super(params, o.lr ?? 1e-3, o.decoupled === true ? "AdamW" : "Adam");
    [this.beta1, this.beta2] = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.decoupled = o.decoupled ?? false;
    this.weightDecay = o.weightDecay ?? (this.decoupled ? 1e-2 : 0);
  }
  // m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  p ← p − η·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε)  (kernels/optim.ts)
  protected update(p: Tensor["data"], g: Tensor["data"], s: Record<string, Float64Array>, k: Kernels): void {
    const [m] = this.buffer(s, "m", p.length);
    const [v] = this.buffer(s, "v", p.length);
    k.adam(p, g, { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, decoupled: this.decoupled, step: this.stepCount }, m, v);
  }
}

/** AdamW: Adam with decoupled weight decay (default 0.01). */
export class AdamW extends Adam {
  constructor(params: readonly Tensor[], o: { lr?: number; betas?: readonly [number, number]; eps?: number; weightDecay?: number } = {}) {
    super(params, { ...o, decoupled: true });
  }
}

/** RMSprop (torch.optim.RMSprop, not centered). */
export class RMSprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], o: { lr?: number; alpha?: number; eps?: number; momentum?: number; weightDecay?: number } = {}) {
    super(params, o.lr ?? 1e-2, "RMSprop");
    this.alpha = o.alpha ?? 0.99;
    this.eps = o.eps ?? 1e-8;
    this.momentum = o.momentum ?? 0;
    this.weightDecay = o.weightDecay ?? 0;
  }
  // a ← αa + (1 − α)g²;  p ← p − η g/(√a + ε)  (with momentum: b ← μb + g/(√a + ε); p ← p − ηb)
  protected update(p: Tensor["data"], g: Tensor["data"], s: Record<string, Float64Array>): void {
    const { lr, alpha, eps, momentum: mu, weightDecay: wd } = this;
    const [a] = this.buffer(s, "squareAvg", p.length);
    const buf = mu > 0 ? this.buffer(s, "momentum", p.length)[0] : null;
    for (let i = 0; i < p.length; i++) {
      const gi = (g[i] as number) + wd * (p[i] as number);
      const ai = alpha * (a[i] as number) + (1 - alpha) * gi * gi;
      a[i] = ai;
      const step = gi / (Math.sqrt(ai) + eps);
      if (buf !== null) {
        buf[i] = mu * (buf[i] as number) + step;
        p[i] = (p[i] as number) - lr * (buf[i] as number);
      } else {
        p[i] = (p[i] as number) - lr * step;
      }
    }
  }
}

/** Adagrad (torch.optim.Adagrad, no lr decay). */
export class Adagrad extends Optimizer {
  readonly eps: number;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], o: { lr?: number; eps?: number; weightDecay?: number } = {}) {
    super(params, o.lr ?? 1e-2, "Adagrad");
    this.eps = o.eps ?? 1e-10;
    this.weightDecay = o.weightDecay ?? 0;
  }
  // s ← s + g²;  p ← p − η g/(√s + ε)
  protected update(p: Tensor["data"], g: Tensor["data"], st: Record<string, Float64Array>): void {
    const [sum] = this.buffer(st, "sum", p.length);
    for (let i = 0; i < p.length; i++) {
      const gi = (g[i] as number) + this.weightDecay * (p[i] as number);
      sum[i] = (sum[i] as number) + gi * gi;
      p[i] = (p[i] as number) - (this.lr * gi) / (Math.sqrt(sum[i] as number) + this.eps);
    }
  }
}

/** Rescales gradients so their joint L2 norm is at most maxNorm (PyTorch's clip_grad_norm_); returns the norm before clipping. */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) if (p.grad !== null) for (const v of p.grad.data) sq += v * v;
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const p of params) if (p.grad !== null) p.grad = new Tensor(p.grad.data.map((v) => v * coef), p.grad.shape);
  }
  return norm;
}

/** Clamps every gradient entry into [−clip, clip]. */
export function clipGradValue(params: readonly Tensor[], clip: number): void {
  for (const p of params) if (p.grad !== null) p.grad = new Tensor(p.grad.data.map((v) => Math.min(Math.max(v, -clip), clip)), p.grad.shape);
}
