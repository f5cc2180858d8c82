// Parameter initialisers (PyTorch's formulas), drawing from a seeded generator.
import { tensor } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import type { Shape } from "../tensor/shape.js";
import type { DType } from "../tensor/dtype.js";

export type InitName = "zeros" | "constant" | "uniform" | "normal" | "xavier-uniform" | "xavier-normal" | "kaiming-uniform" | "kaiming-normal";

/** Options of init(): fans default to PyTorch's reading of a [out, in] weight. */
export interface InitOptions {
  readonly seed?: number;
  readonly generator?: Random;
  readonly dtype?: DType;
  readonly value?: number;
  readonly low?: number;
  readonly high?: number;
  readonly mean?: number;
  readonly std?: number;
  readonly gain?: number;
  readonly fanIn?: number;
  readonly fanOut?: number;
}

/** fan_in and fan_out of a weight shape ([out, in, …receptive field]). */
export function fans(shape: Shape): [number, number] {
  if (shape.length < 2) return [shape[0] ?? 1, shape[0] ?? 1];
  const rf = shape.slice(2).reduce((a, b) => a * b, 1);
  return [(shape[1] as number) * rf, (shape[0] as number) * rf];
}

/** A tensor of `shape` drawn by the named initialiser. */
export function init(kind: InitName, shape: Shape, o: InitOptions = {}): Tensor {
  const g = o.generator ?? new Random(o.seed ?? 0);
  const n = shape.reduce((a, b) => a * b, 1);
  const [fi, fo] = fans(shape);
  const fanIn = o.fanIn ?? fi, fanOut = o.fanOut ?? fo;
  const gain = o.gain ?? 1;
  const uniform = (lo: number, hi: number): number[] => Array.from({ length: n }, () => lo + (hi - lo) * g.uniform());
  const normal = (mean: number, std: number): number[] => Array.from({ length: n }, () => mean + std * g.normal());
  let values: number[];
  switch (kind) {
    case "zeros": values = new Array<number>(n).fill(0); break;
    case "constant": values = new Array<number>(n).fill(o.value ?? 0); break;
    case "uniform": values = uniform(o.low ?? 0, o.high ?? 1); break;
    case "normal": values = normal(o.mean ?? 0, o.std ?? 1); break;
    // U(−a, a), a = gain·√(6/(fan_in + fan_out))
    case "xavier-uniform": { const a = gain * Math.sqrt(6 / (fanIn + fanOut)); values = uniform(-a, a); break; }
    // N(0, gain²·2/(fan_in + fan_out))
    case "xavier-normal": values = normal(0, gain * Math.sqrt(2 / (fanIn + fanOut))); break;
    // U(−b, b), b = √2·√(3/fan_in) (ReLU gain)
    case "kaiming-uniform": { const b = (o.gain ?? Math.SQRT2) * Math.sqrt(3 / fanIn); values = uniform(-b, b); break; }
    // N(0, 2/fan_in)
    case "kaiming-normal": values = normal(0, (o.gain ?? Math.SQRT2) / Math.sqrt(fanIn)); break;
    default: throw new ValueError(`unknown initialiser ${JSON.stringify(kind)}.`, { op: "init" });
  }
  return tensor(new Float64Array(values), { shape, dtype: o.dtype ?? "float64" });
}
