// The op contract: shape rule, forward over raw storage, backward as a vector-Jacobian product
// written with differentiable functions (so gradients of gradients work), and test samples.
import type { Backend } from "../backend/backend.js";
import type { DType, Storage } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";
import { ShapeError } from "../tensor/errors.js";
import type { Notation } from "./notation.js";

/** What an op can see of a tensor without depending on the autograd layer. */
export interface TensorLike {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A tensor's numbers, as the forward pass sees them. */
export interface RawTensor extends TensorLike {
  readonly data: Storage;
}

type Num<T> = T | number;

/** The differentiable functions a backward rule may use; every interpretation implements them. */
export interface Functional<T extends TensorLike> {
  /** Applies any registered op (what the named methods below are shorthands for). */
  apply<A>(op: OpDef<A>, inputs: readonly T[], attrs: A): T;
  /** A 0-d constant. */
  scalar(value: number, dtype: DType): T;
  /** A constant tensor of the given numbers (no gradient flows into it): kernels, interpolation weights. */
  constant(values: ArrayLike<number>, shape: Shape, dtype: DType): T;
  add(a: Num<T>, b: Num<T>): T;
  sub(a: Num<T>, b: Num<T>): T;
  mul(a: Num<T>, b: Num<T>): T;
  div(a: Num<T>, b: Num<T>): T;
  pow(a: Num<T>, b: Num<T>): T;
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  sigmoid(a: T): T;
  tanh(a: T): T;
  relu(a: T): T;
  erf(a: T): T;
  abs(a: T): T;
  softplus(a: T, beta: number, threshold: number): T;
  logSoftmax(a: T, axis: number): T;
  /** Elementwise binary cross-entropy of probabilities p against targets y (logs clamped at −100). */
  bce(p: T, y: T): T;
  powScalar(a: T, exponent: number): T;
  clamp(a: T, min: number, max: number): T;
  maximum(a: Num<T>, b: Num<T>): T;
  minimum(a: Num<T>, b: Num<T>): T;
  matmul(a: T, b: T): T;
  transposeLast(a: T): T;
  permute(a: T, axes: readonly number[]): T;
  reshape(a: T, shape: Shape): T;
  expand(a: T, shape: Shape): T;
  sum(a: T, axes: readonly number[], keepdims: boolean): T;
  /** Sums `a` down to `shape` (the reverse of broadcasting). */
  sumTo(a: T, shape: Shape): T;
  slice(a: T, starts: readonly number[], ends: readonly number[], steps: readonly number[]): T;
  pad(a: T, before: readonly number[], after: readonly number[], steps: readonly number[]): T;
  where(cond: T, a: Num<T>, b: Num<T>): T;
  /** Constant 0/1 masks (no gradient flows through them). */
  gt(a: Num<T>, b: Num<T>): T;
  lt(a: Num<T>, b: Num<T>): T;
  ge(a: Num<T>, b: Num<T>): T;
  le(a: Num<T>, b: Num<T>): T;
  eq(a: Num<T>, b: Num<T>): T;
  sign(a: T): T;
}

/** Exactly N inputs as a tuple (any number for a variadic op, N = −1). */
export type Inputs<T, N extends number> = N extends 1 ? readonly [T] : N extends 2 ? readonly [T, T] : N extends 3 ? readonly [T, T, T] : readonly T[];

/** What backward receives besides gradOut. */
export interface BackwardCtx<T extends TensorLike, A, N extends number = number> {
  readonly inputs: Inputs<T, N>;
  readonly output: T;
  readonly attrs: A;
  /** Which inputs need a gradient; rules may skip (return null for) the others. */
  readonly needs: readonly boolean[];
}

/** Random input domain for generated tests: an interval, or "positive" etc. */
export type Domain = readonly [number, number];

/** One generated test case: input shapes (and domains) plus attributes. */
export interface Sample<A> {
  readonly shapes: readonly Shape[];
  readonly attrs: A;
  readonly domains?: readonly Domain[];
  /** Inputs not to differentiate (e.g. targets, conditions). */
  readonly constant?: readonly number[];
}

/** An op's form in the expression language: its name, and its attributes from trailing numbers. */
export interface CallForm<A> {
  readonly name: string;
  /** How many trailing number arguments it takes (at least, at most). */
  readonly numbers?: readonly [number, number];
  attrs(numbers: readonly number[]): A;
}

/** What every op declares besides its input-typed functions. */
interface OpInfo<A> {
  readonly name: string;
  /** True for ops whose output carries no gradient (comparisons, argmax). */
  readonly nondiff?: boolean | undefined;
  /** True for elementwise ops (output element i depends only on input elements i, after broadcasting). */
  readonly elementwise?: boolean | undefined;
  /** How one application prints (worked solutions, symbolic answers). */
  notation(attrs: A): Notation;
  /** How the expression language calls it: `name(tensors…, numbers…)`; absent: not callable by name. */
  readonly call?: CallForm<A> | undefined;
  readonly samples: readonly Sample<A>[];
}

/** One op, defined once, as its file writes it: typed attributes and exactly `arity` inputs. */
export interface OpSpec<A, N extends number> extends OpInfo<A> {
  /** Number of tensor inputs; −1 for variadic. */
  readonly arity: N;
  /** Validates the inputs' shapes and the attrs; returns the output shape. Throws typed errors. */
  shape(inputs: Inputs<TensorLike, N>, attrs: A): Shape;
  /** Checks input values where the op has a restricted domain. */
  checkValues?(inputs: Inputs<RawTensor, N>, attrs: A): void;
  forward(inputs: Inputs<RawTensor, N>, attrs: A, outShape: Shape, be: Backend): Storage;
  /** Vector-Jacobian product: one gradient per input (null where none flows). */
  backward<T extends TensorLike>(gradOut: T, ctx: BackwardCtx<T, A, N>, F: Functional<T>): readonly (T | null)[];
}

/** An op as the interpreters see it: inputs as a list, their number checked once by shape(). */
export interface OpDef<A> extends OpInfo<A> {
  readonly arity: number;
  shape(inputs: readonly TensorLike[], attrs: A): Shape;
  /** Checks input values where the op has a restricted domain (a no-op elsewhere). */
  checkValues(inputs: readonly RawTensor[], attrs: A): void;
  forward(inputs: readonly RawTensor[], attrs: A, outShape: Shape, be: Backend): Storage;
  backward<T extends TensorLike>(gradOut: T, ctx: BackwardCtx<T, A>, F: Functional<T>): readonly (T | null)[];
}

/** Applies an op to tensors of some concrete type: what autograd provides. */
export interface Applier<T> {
  apply<A>(op: OpDef<A>, inputs: readonly T[], attrs: A): T;
}

/** A sample with its attrs hidden behind a closure, so heterogeneous ops fit one list. */
export interface ErasedSample {
  readonly shapes: readonly Shape[];
  readonly domains: readonly Domain[] | undefined;
  readonly constant: readonly number[];
  run<T>(applier: Applier<T>, inputs: readonly T[]): T;
}

/** An op's expression-language form with its attrs type hidden. */
export interface ErasedCall {
  readonly name: string;
  readonly arity: number;
  readonly numbers: readonly [number, number];
  run<T>(applier: Applier<T>, inputs: readonly T[], numbers: readonly number[]): T;
  notation(numbers: readonly number[]): Notation;
}

/** An op in the registry: its definition plus its erased samples. */
export interface RegisteredOp {
  readonly name: string;
  readonly nondiff: boolean;
  readonly samples: readonly ErasedSample[];
  readonly call: ErasedCall | null;
}

/** An op as defineOp returns it: its definition plus the registry's erased view. */
export type DefinedOp<A> = OpDef<A> & { readonly registered: RegisteredOp };

const noCheck = (): void => {};

/** Throws unless `inputs` has as many tensors as `op` takes (every interpreter that runs forward checks this first). */
export function checkArity(op: { readonly name: string; readonly arity: number }, inputs: readonly unknown[]): void {
  if (op.arity >= 0 && inputs.length !== op.arity) throw new ShapeError(`expects ${op.arity} input(s), got ${inputs.length}.`, { op: op.name });
}

/** Declares an op and exposes an erased view for the registry. */
export function defineOp<A, N extends number>(spec: OpSpec<A, N>): DefinedOp<A> {
  const c = spec.call;
  // NOTE: the spec's own functions, not wrappers: the interpreters that run forward (applyOp,
  // rawApply) check the number of inputs first (checkArity), and backward receives recorded inputs.
  // Method parameters compare bivariantly, so a rule typed for its tuple fits the list-typed OpDef.
  const def: DefinedOp<A> = {
    name: spec.name,
    arity: spec.arity,
    nondiff: spec.nondiff,
    elementwise: spec.elementwise,
    notation: spec.notation,
    call: c,
    samples: spec.samples,
    shape: spec.shape,
    checkValues: spec.checkValues ?? noCheck,
    forward: spec.forward,
    backward: spec.backward,
    registered: {
      name: spec.name,
      nondiff: spec.nondiff ?? false,
      samples: spec.samples.map((s): ErasedSample => ({
        shapes: s.shapes,
        domains: s.domains,
        constant: s.constant ?? [],
        run: (applier, inputs) => applier.apply(def, inputs, s.attrs),
      })),
      call: c === undefined ? null : {
        name: c.name,
        arity: spec.arity,
        numbers: c.numbers ?? [0, 0],
        run: (applier, inputs, numbers) => applier.apply(def, inputs, c.attrs(numbers)),
        notation: (numbers) => spec.notation(c.attrs(numbers)),
      },
    },
  };
  return def;
}
