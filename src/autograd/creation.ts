// Creating tensors: from nested arrays or typed arrays, constants, ranges and random numbers.
import { backend } from "../backend/backend.js";
import { checkDType, type DType, type Storage } from "../tensor/dtype.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import { checkShape, type Shape, sizeOf } from "../tensor/shape.js";
import { globalRandom, type Random } from "../tensor/random.js";
import { type NestedArray, Tensor } from "./tensor.js";

/** Options accepted by every creation function. */
export interface CreateOptions {
  readonly dtype?: DType;
  readonly requiresGrad?: boolean;
}

/** Input accepted by tensor(): nested number arrays or a typed array (with a shape). */
export type TensorData = NestedArray | readonly NestedArray[] | Storage;

function inferShape(data: NestedArray | readonly NestedArray[], path: number[]): number[] {
  if (typeof data === "number") return [];
  if (!Array.isArray(data)) throw new ValueError(`entries must be numbers or arrays, got ${typeof data}${where(path)}.`, { op: "tensor" });
  if (data.length === 0) return [0];
  const inner = inferShape(data[0] as NestedArray, [...path, 0]);
  data.forEach((d: NestedArray, i: number) => {
    const s = inferShape(d, [...path, i]);
    if (s.length !== inner.length || s.some((v, k) => v !== inner[k])) {
      throw new ShapeError(`ragged nested array: entry${where([...path, i])} has shape [${s.join(",")}], expected [${inner.join(",")}].`, { op: "tensor" });
    }
  });
  return [data.length, ...inner];
}

function where(path: readonly number[]): string {
  return path.length === 0 ? "" : ` at [${path.join(",")}]`;
}

/** A tensor from nested arrays (shape inferred) or from a typed array plus `shape`. */
export function tensor(data: TensorData, options: CreateOptions & { readonly shape?: Shape; readonly allowNonFinite?: boolean } = {}): Tensor {
  const dtype = checkDType("tensor", options.dtype ?? (data instanceof Float32Array ? "float32" : "float64"));
  let shape: Shape;
  let store: Storage;
  if (data instanceof Float64Array || data instanceof Float32Array) {
    shape = options.shape === undefined ? [data.length] : checkShape("tensor", options.shape);
    store = backend().alloc(dtype, data.length, data);
  } else {
    shape = inferShape(data, []);
    if (options.shape !== undefined) throw new ValueError("shape is only for typed-array data; nested arrays carry their own.", { op: "tensor" });
    store = backend().alloc(dtype, sizeOf(shape));
    backend().mutate(store, (s) => {
      let at = 0;
      const fill = (d: NestedArray | readonly NestedArray[]): void => {
        if (typeof d === "number") s[at++] = d;
        else d.forEach(fill);
      };
      fill(data);
    });
  }
  if (options.allowNonFinite !== true) {
    for (let i = 0; i < store.length; i++) {
      if (!Number.isFinite(store[i] as number)) {
        throw new ValueError(`entries must be finite numbers, got ${store[i]} at flat index ${i}.`, { op: "tensor", hint: "Pass {allowNonFinite: true} if this is intended." });
      }
    }
  }
  return new Tensor(store, shape, options.requiresGrad ?? false);
}

function filled(shape: Shape, value: number, options: CreateOptions, op: string): Tensor {
  checkShape(op, shape);
  const d = backend().alloc(checkDType(op, options.dtype ?? "float64"), sizeOf(shape));
  if (value !== 0) backend().mutate(d, (s) => s.fill(value));
  return new Tensor(d, shape, options.requiresGrad ?? false);
}

export const zeros = (shape: Shape, options: CreateOptions = {}): Tensor => filled(shape, 0, options, "zeros");
export const ones = (shape: Shape, options: CreateOptions = {}): Tensor => filled(shape, 1, options, "ones");
/** A tensor of one repeated value. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return filled(shape, value, options, "full");
}
export const zerosLike = (t: Tensor, options: CreateOptions = {}): Tensor => zeros(t.shape, { dtype: t.dtype, ...options });
export const onesLike = (t: Tensor, options: CreateOptions = {}): Tensor => ones(t.shape, { dtype: t.dtype, ...options });

/** A 0-d tensor. */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return full([], value, options);
}

/** start, start+step, … below end (NumPy arange). */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [a, b] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`step must be a non-zero finite number, got ${step}.`, { op: "arange" });
  const n = Math.max(0, Math.ceil((b - a) / step));
  const d = backend().alloc(checkDType("arange", options.dtype ?? "float64"), n);
  backend().mutate(d, (s) => { for (let i = 0; i < n; i++) s[i] = a + i * step; });
  return new Tensor(d, [n], options.requiresGrad ?? false);
}

/** n evenly spaced numbers from start to end inclusive. */
export function linspace(start: number, end: number, n: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`n must be a non-negative integer, got ${n}.`, { op: "linspace" });
  const d = backend().alloc(checkDType("linspace", options.dtype ?? "float64"), n);
  const step = n > 1 ? (end - start) / (n - 1) : 0;
  backend().mutate(d, (s) => { for (let i = 0; i < n; i++) s[i] = i === n - 1 && n > 1 ? end : start + i * step; });
  return new Tensor(d, [n], options.requiresGrad ?? false);
}

/** The n×m identity (m = n by default). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const t = zeros([n, m], options);
  backend().mutate(t.data, (s) => { for (let i = 0; i < Math.min(n, m); i++) s[i * m + i] = 1; });
  return t;
}

/** Uniform numbers in [0, 1) from a seedable generator (global one by default). */
export function rand(shape: Shape, options: CreateOptions & { readonly generator?: Random } = {}): Tensor {
  const t = zeros(shape, options);
  const g = options.generator ?? globalRandom();
  backend().mutate(t.data, (s) => { for (let i = 0; i < s.length; i++) s[i] = g.uniform(); });
  return t;
}

/** Standard normal numbers from a seedable generator (global one by default). */
export function randn(shape: Shape, options: CreateOptions & { readonly generator?: Random } = {}): Tensor {
  const t = zeros(shape, options);
  const g = options.generator ?? globalRandom();
  backend().mutate(t.data, (s) => { for (let i = 0; i < s.length; i++) s[i] = g.normal(); });
  return t;
}
