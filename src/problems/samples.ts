// The samples of a problem's `data`, stored by column: one Float64Array per quantity holds every
// sample's numbers, and a sample's tensors are views made when the solver asks for it. A million
// samples then cost their numbers, not a million maps of tensors.
import { tensor } from "../autograd/creation.js";
import { Tensor } from "../autograd/tensor.js";
import type { Shape } from "../tensor/shape.js";
import type { Value } from "./schema.js";

interface Column {
  readonly shape: Shape;
  readonly size: number;
  readonly data: Float64Array;
}

/** A value's shape when it is rectangular (number, vector, or matrix with equal rows); else null. */
function shapeOf(v: Value): number[] | null {
  if (typeof v === "number") return [];
  const first = v[0];
  if (typeof first === "number" || first === undefined) return [v.length];
  const n = first.length;
  for (const r of v) if (typeof r === "number" || r.length !== n) return null;
  return [v.length, n];
}

/** Writes a value's numbers (row-major) at `offset`. */
function fill(out: Float64Array, offset: number, v: Value): void {
  if (typeof v === "number") { out[offset] = v; return; }
  let k = offset;
  for (const x of v) {
    if (typeof x === "number") out[k++] = x;
    else for (const y of x) out[k++] = y;
  }
}

/** The samples of a problem (one empty sample when it has no `data`). */
export class SampleTable {
  private constructor(
    /** How many samples. */
    readonly count: number,
    private readonly cols: ReadonlyMap<string, Column> | null,
    private readonly rows: readonly ReadonlyMap<string, Tensor>[] | null,
  ) {}

  /** Samples from the file's rows: by column when every row has the same names and shapes. */
  static of(data: readonly Readonly<Record<string, Value>>[] | undefined): SampleTable {
    if (data === undefined || data.length === 0) return new SampleTable(1, null, [new Map()]);
    const first = data[0] as Readonly<Record<string, Value>>;
    const names = Object.keys(first);
    const shapes = new Map(names.map((n) => [n, shapeOf(first[n] as Value)]));
    const uniform = [...shapes.values()].every((s) => s !== null) && data.every((row) => {
      const keys = Object.keys(row);
      return keys.length === names.length && keys.every((k) => {
        const want = shapes.get(k), v = row[k] as Value;
        const got = want === undefined ? null : shapeOf(v);
        return want !== undefined && want !== null && got !== null && got.length === want.length && got.every((d, i) => d === want[i]);
      });
    });
    if (!uniform) return new SampleTable(data.length, null, data.map((row) => new Map(Object.entries(row).map(([k, v]) => [k, tensor(v)]))));
    const columns = new Map<string, Column>();
    for (const n of names) {
      const shape = shapes.get(n) as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const col = new Float64Array(size * data.length);
      data.forEach((row, i) => fill(col, i * size, row[n] as Value));
      columns.set(n, { shape, size, data: col });
    }
    return new SampleTable(data.length, columns, null);
  }

  /** Sample i's named tensors (views of the columns). */
  get(i: number): ReadonlyMap<string, Tensor> {
    return this.into(i, new Map<string, Tensor>());
  }

  /** Whether every quantity of a sample is one number, stored by column. */
  scalarColumns(): boolean {
    return this.cols !== null && [...this.cols.values()].every((c) => c.shape.length === 0);
  }

  /** Samples [from, to) of scalar columns as vectors (views, no copy). */
  columns(from: number, to: number): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [n, c] of this.cols ?? []) if (c.shape.length === 0) out.set(n, new Tensor(c.data.subarray(from, to), [to - from]));
    return out;
  }

  /** Puts sample i's named tensors into `env` (no intermediate map: the solver's hot path). */
  into(i: number, env: Map<string, Tensor>): Map<string, Tensor> {
    if (this.rows !== null) {
      for (const [n, t] of this.rows[i] ?? []) env.set(n, t);
      return env;
    }
    for (const [n, c] of this.cols ?? []) env.set(n, new Tensor(c.data.subarray(i * c.size, (i + 1) * c.size), c.shape));
    return env;
  }
}
