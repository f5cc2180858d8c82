// Tensor: immutable numbers plus a graph node; every method goes through applyOp.
import { backend } from "../backend/backend.js";
import { ops } from "../ops/registry.js";
import { makeFunctional } from "../ops/interpreter.js";
import { type BackwardCtx, checkArity, type Functional, type OpDef } from "../ops/types.js";
import { type DType, dtypeOf, type Storage } from "../tensor/dtype.js";
import { AutogradError, ShapeError } from "../tensor/errors.js";
import { fmt, normalizeAxes, normalizeAxis, ownedSize, ownShape, type Shape, shapesEqual, sizeOf, stridesOf } from "../tensor/shape.js";
import { backward as runBackward, type BackwardOptions } from "./engine.js";
import { emit, tracing } from "./events.js";
import { type IndexSpec, resolveIndex } from "./index-spec.js";
import { backwardOf, isAnomalyEnabled, isGradEnabled, WALK } from "./mode.js";
import { checkAnomaly, checkDTypes, checkVersions, needsOf, versionsOf } from "./checks.js";
import { newTensorId, record } from "./scope.js";
import type { WalkNode } from "./walk.js";

/** How a non-leaf tensor was made: its op, inputs and vector-Jacobian product. */
export interface Node extends WalkNode<Tensor> {
  readonly attrs: unknown;
  /** True once backward has run through it without retaining the graph. */
  freed: boolean;
}

/** Nested number arrays, as `toArray()` returns them. */
export type NestedArray = number | NestedArray[];

/** An n-d array of float64 or float32 that records how it was computed. */
export class Tensor {
  readonly id = newTensorId();
  private gradValue: Tensor | null = null;
  /**
   * @internal Whether `.grad`'s storage was made by backward for this tensor alone and no one has
   * read `.grad` since: zeroGrad() then gives that storage back to the pool (see engine.ts).
   */
  gradUnseen = false;
  /** Gradient accumulated by backward() (leaves, and intermediates that called retainGrad()). */
  get grad(): Tensor | null {
    this.gradUnseen = false;
    return this.gradValue;
  }
  set grad(g: Tensor | null) {
    this.gradUnseen = false;
    this.gradValue = g;
  }
  /** @internal `.grad` for the engine and optimizers, which keep no reference to it: reading it this way leaves it unseen. */
  peekGrad(): Tensor | null { return this.gradValue; }
  /** Optional label used by traces and graphs. */
  name: string | undefined;
  private retains = false;
  /** @internal The engine's bookkeeping: the backward walk that last visited this tensor, and its position in that walk's order. */
  walkStamp = 0;
  /** @internal */
  walkIndex = 0;

  /** The dimensions; frozen (a tensor's shape never changes). */
  readonly shape: Shape;

  /**
   * `data` is the backend's buffer: read it freely, but change numbers only with `set()` (or an
   * optimizer), which counts the write so that backward can refuse stale saved values.
   */
  constructor(
    readonly data: Storage,
    shape: Shape,
    public requiresGrad = false,
    readonly node: Node | null = null,
  ) {
    // NOTE: the shape applyOp just checked and kept is taken as it is: indexing shapes of every origin
    // (user arrays, frozen, holey …) is a megamorphic load, the largest cost of a tiny op
    if (shape === checkedShape) {
      this.shape = shape;
      checkedShape = null;
    } else {
      if (data.length !== sizeOf(shape)) throw new ShapeError(`data has ${data.length} elements but shape ${fmt(shape)} needs ${sizeOf(shape)}.`, { op: "tensor" });
      this.shape = ownShape(shape, true);
    }
  }

  get dtype(): DType { return dtypeOf(this.data); }
  get ndim(): number { return this.shape.length; }
  get size(): number { return this.data.length; }
  /** True for tensors created by the user rather than by an op. */
  get isLeaf(): boolean { return this.node === null; }
  get retainsGrad(): boolean { return this.retains; }
  /** How many times this tensor's numbers have been written in place. */
  get version(): number { return backend().version(this.data); }

  /** Overwrites the numbers in place (PyTorch's `copy_`); a graph that saved this tensor then refuses to run backward. */
  set(values: ArrayLike<number> | Tensor): this {
    const v = values instanceof Tensor ? values.data : values;
    if (v.length !== this.size) throw new ShapeError(`needs ${this.size} numbers for shape ${fmt(this.shape)}, got ${v.length}.`, { op: "set" });
    backend().write(this.data, v);
    return this;
  }

  // ---- elementwise ---------------------------------------------------------------------------
  add(b: Tensor | number): Tensor { return F.add(this, b); }
  sub(b: Tensor | number): Tensor { return F.sub(this, b); }
  mul(b: Tensor | number): Tensor { return F.mul(this, b); }
  div(b: Tensor | number): Tensor { return F.div(this, b); }
  /** xᵇ for a number or tensor exponent. */
  pow(b: Tensor | number): Tensor { return typeof b === "number" ? applyOp(ops.powScalar, [this], { exponent: b }) : applyOp(ops.pow, [this, b], null); }
  maximum(b: Tensor | number): Tensor { return F.maximum(this, b); }
  minimum(b: Tensor | number): Tensor { return F.minimum(this, b); }
  gt(b: Tensor | number): Tensor { return F.gt(this, b); }
  ge(b: Tensor | number): Tensor { return F.ge(this, b); }
  lt(b: Tensor | number): Tensor { return F.lt(this, b); }
  le(b: Tensor | number): Tensor { return F.le(this, b); }
  eq(b: Tensor | number): Tensor { return F.eq(this, b); }
  neg(): Tensor { return applyOp(ops.neg, [this], null); }
  exp(): Tensor { return applyOp(ops.exp, [this], null); }
  /** Natural logarithm. */
  log(): Tensor { return applyOp(ops.log, [this], null); }
  sqrt(): Tensor { return applyOp(ops.sqrt, [this], null); }
  abs(): Tensor { return applyOp(ops.abs, [this], null); }
  sign(): Tensor { return applyOp(ops.sign, [this], null); }
  tanh(): Tensor { return applyOp(ops.tanh, [this], null); }
  sigmoid(): Tensor { return applyOp(ops.sigmoid, [this], null); }
  relu(): Tensor { return applyOp(ops.relu, [this], null); }
  erf(): Tensor { return applyOp(ops.erf, [this], null); }
  softplus(beta = 1, threshold = 20): Tensor { return applyOp(ops.softplus, [this], { beta, threshold }); }
  clamp(min: number | null = null, max: number | null = null): Tensor {
    return applyOp(ops.clamp, [this], { min: min ?? -Infinity, max: max ?? Infinity });
  }

  // ---- reductions ----------------------------------------------------------------------------
  sum(axis?: number | readonly number[], keepdims = false): Tensor { return applyOp(ops.sum, [this], { axis, keepdims }); }
  mean(axis?: number | readonly number[], keepdims = false): Tensor {
    const axes = normalizeAxes("mean", axis, this.ndim);
    const n = axes.reduce((acc, a) => acc * (this.shape[a] as number), 1);
    return this.sum(axis, keepdims).div(n);
  }
  max(axis?: number | readonly number[], keepdims = false): Tensor { return applyOp(ops.max, [this], { axis, keepdims }); }
  min(axis?: number | readonly number[], keepdims = false): Tensor { return applyOp(ops.min, [this], { axis, keepdims }); }
  argmax(axis?: number, keepdims = false): Tensor { return applyOp(ops.argmax, [this], { axis, keepdims }); }
  logsumexp(axis?: number | readonly number[], keepdims = false): Tensor { return applyOp(ops.logsumexp, [this], { axis, keepdims }); }
  logSoftmax(axis = -1): Tensor { return applyOp(ops.logSoftmax, [this], { axis }); }
  softmax(axis = -1): Tensor { return this.logSoftmax(axis).exp(); }

  // ---- linear algebra and movement -------------------------------------------------------------
  /** Matrix product with NumPy rules: 1-d operands are promoted and the added axis removed (by the primitive). */
  matmul(b: Tensor): Tensor {
    // NOTE: 1-d operands go to the primitive as they are (it promotes them): no reshape nodes. Its shape
    // rule checks ranks and inner dimensions (with the transpose hints), applyOp the dtypes: no check twice.
    return applyOp(ops.matmul, [this, b], null);
  }
  /** The same numbers in a new shape. NOTE: always a new node, even for the same shape (graph identity). */
  reshape(shape: readonly number[]): Tensor { return applyOp(ops.reshape, [this], { shape }); }
  /** Swaps two axes (default: the last two; below 2-d, or for one axis twice, a new node with the same numbers). */
  transpose(axis0 = -2, axis1 = -1): Tensor {
    if (this.ndim < 2) return this.permute(this.shape.map((_, i) => i));
    const a = normalizeAxis("transpose", axis0, this.ndim), b = normalizeAxis("transpose", axis1, this.ndim);
    const axes = this.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    return this.permute(axes);
  }
  /** Transpose of a matrix (last two axes). */
  get T(): Tensor { return this.transpose(); }
  permute(axes: readonly number[]): Tensor { return applyOp(ops.permute, [this], { axes }); }
  expand(shape: readonly number[]): Tensor { return applyOp(ops.expand, [this], { shape }); }
  /** Removes size-1 axes (all of them, or the one given; another axis stays, in a new node). */
  squeeze(axis?: number): Tensor {
    if (axis === undefined) return this.reshape(this.shape.filter((d) => d !== 1));
    const a = normalizeAxis("squeeze", axis, this.ndim);
    return this.reshape(this.shape.filter((d, i) => i !== a || d !== 1));
  }
  /** Inserts a size-1 axis at `axis`. */
  unsqueeze(axis: number): Tensor {
    const a = normalizeAxis("unsqueeze", axis, this.ndim + 1);
    const s = [...this.shape];
    s.splice(a, 0, 1);
    return this.reshape(s);
  }
  /** PyTorch-style indexing: `x.slice(0, [1, null], null)` is `x[0, 1:, :]`. */
  slice(...specs: IndexSpec[]): Tensor {
    const w = resolveIndex(this.shape, specs);
    const cut = applyOp(ops.slice, [this], w); // a new node even for the full window (graph identity)
    return shapesEqual(cut.shape, w.finalShape) ? cut : cut.reshape(w.finalShape);
  }

  // ---- conversion ----------------------------------------------------------------------------
  /** Nested arrays of plain numbers. */
  toArray(): NestedArray {
    if (this.ndim === 0) return this.data[0] as number;
    const st = stridesOf(this.shape);
    const build = (axis: number, off: number): NestedArray[] =>
      Array.from({ length: this.shape[axis] as number }, (_, i) =>
        axis === this.ndim - 1 ? (this.data[off + i] as number) : build(axis + 1, off + i * (st[axis] as number)));
    return build(0, 0);
  }
  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`only one-element tensors convert to a number, got shape ${fmt(this.shape)}.`, { op: "item" });
    return this.data[0] as number;
  }
  /** A copy in another dtype, cut from the graph (a leaf). */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    return new Tensor(backend().alloc(dtype, this.size, this.data), this.shape, false);
  }
  toString(): string { return `tensor(${JSON.stringify(this.toArray())}, dtype=${this.dtype})`; }

  // ---- autograd ------------------------------------------------------------------------------
  /** Computes gradients of this tensor with respect to every leaf that requires grad. */
  backward(gradOut?: Tensor, options: BackwardOptions = NO_OPTIONS): void {
    runBackward(this, seedGrad(this, gradOut), options, null);
  }
  /** A tensor with the same numbers, cut from the graph. */
  detach(): Tensor {
    checkedShape = this.shape; // a tensor's own shape with its own numbers: nothing to check again
    return new Tensor(this.data, this.shape, false);
  }
  /** Keeps this intermediate's gradient in `.grad` during backward. */
  retainGrad(): this {
    this.retains = true;
    return this;
  }
  /** Marks a leaf as a variable to differentiate with respect to. */
  requireGrad(flag = true): this {
    if (!this.isLeaf) throw new AutogradError("only leaf tensors can change requiresGrad.", { op: "requireGrad", hint: "Use detach() first." });
    this.requiresGrad = flag;
    return this;
  }
  /** Clears `.grad` (its storage goes back to the pool when backward made it and no one has read `.grad`). */
  zeroGrad(): void {
    if (this.gradUnseen && this.gradValue !== null) backend().free(this.gradValue.data);
    this.gradUnseen = false;
    this.gradValue = null;
  }
}

/** Checks and builds the gradient that seeds backward(). */
export function seedGrad(t: Tensor, gradOut: Tensor | undefined): Tensor {
  if (!t.requiresGrad) throw new AutogradError("tensor does not require grad, so there is nothing to differentiate.", { op: "backward", hint: "Create inputs with {requiresGrad: true}." });
  if (gradOut === undefined) {
    if (t.size !== 1) throw new AutogradError(`gradOut is required for a non-scalar output, got shape ${fmt(t.shape)}.`, { op: "backward", hint: "Pass gradOut, or reduce with sum()/mean() first." });
    const one = backend().alloc(t.dtype, t.size, t.size === 1 ? ONE : new Array<number>(t.size).fill(1));
    checkedShape = t.shape;
    return new Tensor(one, t.shape);
  }
  if (!shapesEqual(gradOut.shape, t.shape)) throw new ShapeError(`gradOut must match the output shape, got ${fmt(gradOut.shape)} for ${fmt(t.shape)}.`, { op: "backward", shapes: [gradOut.shape, t.shape] });
  checkDTypes("backward", [t, gradOut]);
  return gradOut;
}

const ONE: readonly number[] = [1];
const NO_OPTIONS: BackwardOptions = {}; // NOTE: one object, not a default literal per backward() call
const SCALAR: Shape = Object.freeze([]);

/** A number as a 0-d tensor of `like`'s dtype (the default float64 without one). */
export function scalarLike(v: number, like: Tensor | null): Tensor {
  return scalarOf(v, like?.dtype ?? "float64");
}

// The numbers backward rules use (the 1 of σ′ = y(1 − y), ε …), one 0-d tensor per value and dtype:
// leaves no one sees or writes, reused while a rule runs and backward records nothing (so no graph
// keeps them; a trace listener, which runs outside the rules, gets its own).
const ruleScalars = { float64: new Map<number, Tensor>(), float32: new Map<number, Tensor>() };

/** A number as a 0-d tensor. */
export function scalarOf(v: number, dtype: DType): Tensor {
  const running = backwardOf();
  const cached = running !== null && running !== WALK && !isGradEnabled() && !Object.is(v, -0);
  const seen = cached ? ruleScalars[dtype].get(v) : undefined;
  if (seen !== undefined) return seen;
  const t = new Tensor(backend().alloc(dtype, 1, [v]), SCALAR);
  if (cached) {
    const m = ruleScalars[dtype];
    if (m.size >= 256) m.clear();
    m.set(v, t);
  } else record(t);
  return t;
}


// NOTE: a class, not an object literal: V8 tracks literals by allocation site and, late in a long
// run of small steps, may decide to allocate a site's objects straight in the old generation
// (pretenuring) because a scavenge found them alive, which turns every step's garbage into old-space
// garbage and halves the speed of homework-sized steps. The node is its rule's context (inputs,
// output, attrs, needs) and runs it as a method: no closure or context object per op.
class GraphNode<A> implements Node, BackwardCtx<Tensor, A> {
  freed = false;
  readonly op: string;
  readonly output: Tensor;
  private readonly writes: number; // the backend's write count when recorded (−1: not counted)
  constructor(
    private readonly def: OpDef<A>, readonly attrs: A, readonly inputs: readonly Tensor[],
    readonly needs: readonly boolean[], private readonly versions: readonly number[], data: Storage, shape: Shape,
  ) {
    this.op = def.name;
    this.writes = backend().writes?.() ?? -1;
    this.output = new Tensor(data, shape, true, this);
  }
  vjp(g: Tensor): readonly (Tensor | null)[] {
    // NOTE: no write at all since this node was recorded (the usual case) needs no per-input check
    if (this.writes < 0 || backend().writes?.() !== this.writes) checkVersions(this.op, this.inputs, this.versions);
    return this.def.backward(g, this, F);
  }
}

// The output shape applyOp has kept and checked against its numbers, for the next Tensor constructed
// (its output), which need not check it again; likewise a tensor's own shape for its detach() and
// its backward seed (an owned shape with as many numbers).
let checkedShape: Shape | null = null;

/** Runs one op: validate, compute, record the node, emit a trace event. */
export function applyOp<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  checkArity(op, inputs);
  checkDTypes(op.name, inputs);
  // NOTE: shape rules return a fresh array or an input's (frozen) shape, so freezing in place is safe
  const shape = op.shape(inputs, attrs);
  // an input's shape (most elementwise ops) is kept as it is, with its size known
  let size = -1;
  for (let i = 0; i < inputs.length; i++) if ((inputs[i] as Tensor).shape === shape) { size = (inputs[i] as Tensor).size; break; }
  const outShape = size < 0 ? ownShape(shape) : shape;
  if (size < 0) size = ownedSize();
  op.checkValues(inputs, attrs);
  const data = op.forward(inputs, attrs, outShape, backend());
  if (data.length !== size) throw new ShapeError(`forward made ${data.length} numbers for shape ${fmt(outShape)}.`, { op: op.name });
  if (isAnomalyEnabled()) checkAnomaly(op, inputs, data);
  let needsGrad = false;
  if (op.nondiff !== true && isGradEnabled()) for (let i = 0; i < inputs.length; i++) if ((inputs[i] as Tensor).requiresGrad) { needsGrad = true; break; }
  checkedShape = outShape;
  const out = needsGrad ? new GraphNode(op, attrs, inputs, needsOf(inputs), versionsOf(inputs), data, outShape).output : new Tensor(data, outShape, false);
  record(out);
  // NOTE: ops run by backward rules are not forward steps of the user's computation: not traced.
  if (tracing() && backwardOf() === null) emit({ kind: "forward", op: op.name, attrs, inputs, output: out });
  return out;
}

/** The differentiable functions op backward rules (and composites) are written with. */
export const F: Functional<Tensor> = makeFunctional<Tensor>({ apply: applyOp, scalar: (v, dtype) => scalarOf(v, dtype), constant: constantOf, leanSumTo: true });

/** A constant tensor (a leaf that does not require grad) holding `values`. */
export function constantOf(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
  const d = backend().alloc(dtype, sizeOf(shape));
  backend().write(d, values);
  return new Tensor(d, shape);
}

/** Sums `a` down to `shape` (undoing broadcasting). */
export const sumTo = (a: Tensor, shape: Shape): Tensor => F.sumTo(a, shape);
