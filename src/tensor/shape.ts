import { AxisError, ShapeError } from "./errors.js";

/** A tensor's dimensions, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  // NOTE: an index loop: for…of over a frozen array is several times slower in V8
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i] as number;
  return n;
}

/** Row-major strides of a contiguous shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] ?? 1;
  }
  return s;
}

// Frozen shapes of rank ≤ 2 with small dimensions, one instance each, so small tensors' shapes are
// neither copied nor frozen per op (and compare equal by identity).
const SMALL_DIM = 32;
const SCALAR_SHAPE: Shape = Object.freeze([]);
// NOTE: filled up front: an array assigned at scattered indices turns into a slow dictionary
const rank1 = new Array<Shape | undefined>(SMALL_DIM).fill(undefined);
const rank2 = new Array<Shape | undefined>(SMALL_DIM * SMALL_DIM).fill(undefined);

/**
 * `shape` as a tensor keeps it: frozen, and for small shapes the one shared instance. A larger shape
 * that is not frozen is frozen in place, or first copied with `copy` (when the caller may still change it).
 */
export function ownShape(shape: Shape, copy = false): Shape {
  // NOTE: the shape just returned again (a shape rule's result, then applyOp) without reading it
  if (shape === lastOwned) return shape;
  return (lastOwned = keep(shape, copy));
}

let lastOwned: Shape = SCALAR_SHAPE;
let lastOwnedSize = 1;

/**
 * The number of elements of the shape `ownShape` returned last, without reading it again (a frozen
 * array read at a site that sees many kinds of arrays takes V8's slow path).
 */
export function ownedSize(): number {
  return lastOwnedSize;
}

function keep(shape: Shape, copy: boolean): Shape {
  const n = shape.length;
  if (n === 0) {
    lastOwnedSize = 1;
    return SCALAR_SHAPE;
  }
  const d0 = shape[0] as number;
  // NOTE: (d >>> 0) === d: an integer in [0, 2³²), without a call
  if (n === 1 && d0 >>> 0 === d0 && d0 < SMALL_DIM) {
    lastOwnedSize = d0;
    return rank1[d0] ?? (rank1[d0] = Object.freeze([d0]));
  }
  if (n === 2) {
    const d1 = shape[1] as number;
    if (d0 >>> 0 === d0 && d1 >>> 0 === d1 && d0 < SMALL_DIM && d1 < SMALL_DIM) {
      const k = d0 * SMALL_DIM + d1;
      lastOwnedSize = d0 * d1;
      return rank2[k] ?? (rank2[k] = Object.freeze([d0, d1]));
    }
  }
  lastOwnedSize = sizeOf(shape);
  // NOTE: Object.isFrozen is a call into the runtime: only for shapes too large to be shared
  if (Object.isFrozen(shape)) return shape;
  return Object.freeze(copy ? [...shape] : shape);
}

/** `[2,3]` */
export function fmt(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a user shape: non-negative integers. */
export function checkShape(op: string, shape: readonly unknown[]): Shape {
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`shape entries must be non-negative integers, got [${shape.map(String).join(",")}].`, { op });
    }
  }
  return shape as Shape;
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming the op. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  if (shapesEqual(a, b)) return a; // NOTE: the common case, without a new array
  // NOTE: a 0-d operand (a scalar: σ′'s 1 − y, a 0-d gradient) takes the other's shape as it is
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // NOTE: a missing leading axis is 1 (no negative index: V8 looks those up as property names, slowly)
    const ia = a.length - n + i, ib = b.length - n + i;
    const da = ia < 0 ? 1 : (a[ia] as number);
    const db = ib < 0 ? 1 : (b[ib] as number);
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `shapes must broadcast, got ${fmt(a)} and ${fmt(b)} (${da} ≠ ${db} at axis ${i - n}).`,
        { op, shapes: [a, b], hint: "Trailing dimensions must be equal or 1." },
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides for reading a contiguous `shape` as if broadcast to `target` (0 on broadcast axes). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const s = stridesOf(shape);
  const off = target.length - shape.length;
  const out = new Array<number>(target.length);
  for (let i = 0; i < target.length; i++) out[i] = i < off || shape[i - off] === 1 ? 0 : (s[i - off] as number);
  return out;
}

/** Resolves a possibly negative axis against `ndim`. NOTE: a 0-d tensor takes axis 0 or −1, as in PyTorch. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new AxisError(`axis must be an integer in [${-n}, ${n - 1}], got ${axis} for a ${ndim}-d tensor.`, { op });
  }
  return axis < 0 ? axis + n : axis;
}

/** Resolves an axis list (undefined = all axes), sorted, rejecting repeats; a 0-d tensor has none to reduce. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): readonly number[] {
  if (axis === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  if (typeof axis === "number" && ndim > 0) return [normalizeAxis(op, axis, ndim)];
  if (typeof axis !== "number" && ndim > 0 && ascendingAxes(axis, ndim)) return axis; // NOTE: the common case, without a sort or a copy (the result is read-only)
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, ndim)).sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new AxisError(`axes must not repeat, got [${list.join(",")}].`, { op });
  }
  return ndim === 0 ? [] : out;
}

// Whether axes are integers in [0, ndim), strictly increasing (already normalized).
function ascendingAxes(axes: readonly number[], ndim: number): boolean {
  let prev = -1;
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i] as number;
    if (!Number.isInteger(a) || a <= prev || a >= ndim) return false;
    prev = a;
  }
  return true;
}

/** Shape after reducing `axes` (kept as 1 when keepdims). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Shape {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) out.push(shape[i] as number);
    else if (keepdims) out.push(1);
  }
  return out;
}

/** Axes of `from` to sum (keeping dims) so that it reshapes to `to`: the reverse of broadcasting. */
/** Whether the axes unbroadcastAxes gives are exactly the first `lead` ones (a broadcast that only added axes in front). */
export function onlyLeadingAxes(axes: readonly number[], lead: number): boolean {
  if (axes.length !== lead) return false;
  for (let i = 0; i < lead; i++) if (axes[i] !== i) return false;
  return true;
}

export function unbroadcastAxes(from: Shape, to: Shape): number[] {
  const lead = from.length - to.length;
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  return axes;
}
