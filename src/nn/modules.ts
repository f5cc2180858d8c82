// Autograd modules: state (parameters) lives in modules, math in the functional layer.
import { backend } from "../backend/backend.js";
import { F, Tensor } from "../autograd/tensor.js";
import { ops } from "../ops/registry.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import type { DType } from "../tensor/dtype.js";
import { Random } from "../tensor/random.js";
import { elu, gelu, leakyRelu, silu, softmax, softplus } from "./activations.js";
import { init, type InitName } from "./init.js";

/** Base class: named parameters and buffers, children, train/eval flag, state dicts. */
export abstract class Module {
  protected readonly children = new Map<string, Module>();
  protected readonly params = new Map<string, Tensor>();
  /** State that is saved but not trained (BatchNorm's running statistics). */
  protected readonly buffers = new Map<string, Tensor>();
  /** Training mode (dropout drops, batch norm uses batch statistics); eval() clears it. */
  training = true;

  abstract forward(x: Tensor): Tensor;

  /** Calls forward. */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /** Parameters with dotted names ("0.weight"), this module's first. */
  namedParameters(prefix = ""): [string, Tensor][] {
    const own: [string, Tensor][] = [...this.params].map(([k, v]) => [prefix + k, v]);
    return [...own, ...[...this.children].flatMap(([k, m]) => m.namedParameters(`${prefix}${k}.`))];
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers with dotted names ("1.runningMean"). */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const own: [string, Tensor][] = [...this.buffers].map(([k, v]) => [prefix + k, v]);
    return [...own, ...[...this.children].flatMap(([k, m]) => m.namedBuffers(`${prefix}${k}.`))];
  }

  /** Child modules with dotted names, this one first as "". */
  namedModules(prefix = ""): [string, Module][] {
    return [[prefix.replace(/\.$/, ""), this], ...[...this.children].flatMap(([k, m]) => m.namedModules(`${prefix}${k}.`))];
  }

  /** Sets training mode here and in every child; returns this. */
  train(mode = true): this {
    this.training = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  /** Evaluation mode (train(false)). */
  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Parameter and buffer values as plain arrays, by name. */
  stateDict(): Record<string, { shape: number[]; dtype: DType; data: number[] }> {
    return Object.fromEntries(this.namedState().map(([k, p]) => [k, { shape: [...p.shape], dtype: p.dtype, data: Array.from(p.data) }]));
  }

  /** Parameters, then buffers, by name. */
  namedState(): [string, Tensor][] {
    return [...this.namedParameters(), ...this.namedBuffers()];
  }

  /** Copies values into the parameters and buffers; names and shapes must match exactly. */
  loadStateDict(state: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>): void {
    const mine = new Map(this.namedState());
    for (const k of Object.keys(state)) if (!mine.has(k)) throw new ValueError(`unexpected parameter '${k}' (this module has ${[...mine.keys()].join(", ")}).`, { op: "loadStateDict" });
    for (const [k, p] of mine) {
      const s = state[k];
      if (s === undefined) throw new ValueError(`missing parameter '${k}'.`, { op: "loadStateDict" });
      if (s.shape.join(",") !== p.shape.join(",") || s.data.length !== p.size) throw new ShapeError(`parameter '${k}' has shape [${p.shape.join(",")}], the state has [${s.shape.join(",")}].`, { op: "loadStateDict" });
      if (Array.prototype.some.call(s.data, (v: unknown) => typeof v !== "number" || !Number.isFinite(v))) throw new ValueError(`parameter '${k}' holds a non-finite or non-numeric value.`, { op: "loadStateDict" });
      backend().write(p.data, s.data);
    }
  }

  /** Makes p a parameter (a fresh leaf from init(), whose storage the backend may move where kernels work on it in place). */
  protected register(name: string, p: Tensor): Tensor {
    const data = p.isLeaf && p.grad === null ? backend().resident?.(p.data) ?? p.data : p.data;
    const q = data === p.data ? p : new Tensor(data, p.shape);
    this.params.set(name, q.requireGrad());
    return q;
  }

  protected registerBuffer(name: string, b: Tensor): Tensor {
    this.buffers.set(name, b);
    return b;
  }

  protected registerChild(name: string, m: Module): Module {
    this.children.set(name, m);
    return m;
  }
}

/** y = x Wᵀ + b with W: [out, in] (PyTorch's layout and default initialisation). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, o: { bias?: boolean; init?: InitName; seed?: number; generator?: Random; dtype?: DType } = {}) {
    super();
    if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 1 || outFeatures < 1) {
      throw new ValueError(`features must be positive integers, got in=${inFeatures}, out=${outFeatures}.`, { op: "Linear" });
    }
    const g = o.generator ?? new Random(o.seed ?? 0);
    const dtype = o.dtype ?? "float64";
    // PyTorch: kaiming_uniform(a=√5) for W, i.e. U(±1/√in); bias U(±1/√in)
    const bound = 1 / Math.sqrt(inFeatures);
    const w = o.init === undefined ? init("uniform", [outFeatures, inFeatures], { generator: g, low: -bound, high: bound, dtype }) : init(o.init, [outFeatures, inFeatures], { generator: g, dtype });
    this.weight = this.register("weight", w);
    this.bias = o.bias === false ? null : this.register("bias", init("uniform", [outFeatures], { generator: g, low: -bound, high: bound, dtype }));
  }
  forward(x: Tensor): Tensor {
    // x Wᵀ with W read transposed by the GEMM (no copy of Wᵀ); a 1-d x goes through the public matmul
    const y = x.ndim >= 2 ? F.apply(ops.matmul, [x, this.weight], { transA: false, transB: true }) : x.matmul(this.weight.T);
    return this.bias === null ? y : y.add(this.bias);
  }
}

/** Modules applied in order. */
export class Sequential extends Module {
  readonly layers: readonly Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.children.set(String(i), m));
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, m) => m.forward(h), x);
  }
}

/** A parameter-free module from a function. */
function fnModule(name: string, f: (x: Tensor) => Tensor): new () => Module {
  const cls = class extends Module {
    forward(x: Tensor): Tensor { return f(x); }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

export const ReLU = fnModule("ReLU", (x) => x.relu());
export const Sigmoid = fnModule("Sigmoid", (x) => x.sigmoid());
export const Tanh = fnModule("Tanh", (x) => x.tanh());
export const SiLU = fnModule("SiLU", (x) => silu(x));
export const Identity = fnModule("Identity", (x) => x);

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return leakyRelu(x, { negativeSlope: this.negativeSlope }); }
}
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") { super(); }
  forward(x: Tensor): Tensor { return gelu(x, { approximate: this.approximate }); }
}
export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  forward(x: Tensor): Tensor { return softplus(x, { beta: this.beta, threshold: this.threshold }); }
}
export class ELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return elu(x, { alpha: this.alpha }); }
}
export class Softmax extends Module {
  constructor(readonly axis = -1) { super(); }
  forward(x: Tensor): Tensor { return softmax(x, { axis: this.axis }); }
}

/** Writes a module's parameters as JSON, atomically (temporary file, then rename). Node only. */
export async function saveParameters(m: Module, path: string): Promise<void> {
  const { writeFile, rename } = await import("node:fs/promises");
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify({ format: "nabla-parameters/1", parameters: m.stateDict() }));
  await rename(tmp, path);
}

/** Reads parameters written by saveParameters into a module of the same architecture. Node only. */
export async function loadParameters(m: Module, path: string): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new ValueError(`cannot read parameters from ${path}: ${(e as Error).message}`, { op: "loadParameters" });
  }
  const state = (parsed as { format?: string; parameters?: unknown }).parameters;
  if ((parsed as { format?: string }).format !== "nabla-parameters/1" || state === null || typeof state !== "object") {
    throw new ValueError(`${path} is not a nabla parameter file (format nabla-parameters/1).`, { op: "loadParameters" });
  }
  m.loadStateDict(state as Record<string, { shape: number[]; data: number[] }>);
}

