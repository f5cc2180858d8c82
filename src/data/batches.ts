// Seeded shuffling and batching of an ImageSet into normalised NCHW tensors.
import { tensor } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { ValueError } from "../tensor/errors.js";
import type { Random } from "../tensor/random.js";

/** Images (uint8, row-major [count, height, width]) and their labels. */
export interface ImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** Where it was read from. */
  readonly source: string;
}

/** Pixel normalisation: x = (pixel/255 − mean)/std. */
export interface Normalize {
  readonly mean: number;
  readonly std: number;
}

/** Indices 0 … n−1, shuffled (Fisher–Yates) when a generator is given. */
export function order(n: number, rng: Random | null): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (rng === null) return idx;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx;
}

/** Consecutive batches of `size` indices (the last one may be smaller). */
export function batchesOf(indices: readonly number[], size: number): number[][] {
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`batch size must be a positive integer, got ${size}.`, { op: "batches" });
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += size) out.push(indices.slice(i, i + size));
  return out;
}

/** The images at `indices` as a [B, 1, H, W] tensor (normalised) and their labels as [B]. */
export function toBatch(set: ImageSet, indices: readonly number[], norm: Normalize, dtype: DType = "float32"): { x: Tensor; y: Tensor } {
  const px = set.height * set.width;
  const xs = new Float64Array(indices.length * px);
  const ys = new Float64Array(indices.length);
  const scale = 1 / (255 * norm.std), shift = norm.mean / norm.std;
  indices.forEach((k, b) => {
    const src = k * px, dst = b * px;
    for (let i = 0; i < px; i++) xs[dst + i] = (set.images[src + i] as number) * scale - shift;
    ys[b] = set.labels[k] as number;
  });
  return { x: tensor(xs, { shape: [indices.length, 1, set.height, set.width], dtype }), y: tensor(ys, { dtype }) };
}
