// gather against its definition out[i…] = src[off + Σ i_d·stride_d], for rows short (a loop) and
// long (block copies), same and mixed dtypes, with an offset and a transposing stride.
import { expect, it } from "vitest";
import { jsKernels } from "../../src/kernels/index.js";

function naive(src: ArrayLike<number>, off: number, strides: readonly number[], shape: readonly number[]): number[] {
  const out: number[] = [];
  const rec = (d: number, at: number): void => {
    if (d === shape.length) { out.push(src[at] as number); return; }
    for (let i = 0; i < (shape[d] as number); i++) rec(d + 1, at + i * (strides[d] as number));
  };
  rec(0, off);
  return out;
}

it.each([
  ["long contiguous rows", [3, 4, 64], [64, 192, 1]],
  ["short rows", [5, 6, 7], [7, 35, 1]],
  ["long strided rows", [2, 60], [1, 2]],
])("gather: %s", (_name, shape, strides) => {
  const src = Float64Array.from({ length: 1000 }, (_, i) => i * 0.25 - 3);
  for (const out of [new Float64Array(shape.reduce((a, b) => a * b)), new Float32Array(shape.reduce((a, b) => a * b))]) {
    jsKernels.gather(src, 5, strides, shape, out);
    expect(Array.from(out)).toEqual(naive(src, 5, strides, shape));
  }
  const src32 = Float32Array.from(src), out32 = new Float32Array(shape.reduce((a, b) => a * b));
  jsKernels.gather(src32, 5, strides, shape, out32);
  expect(Array.from(out32)).toEqual(naive(src32, 5, strides, shape));
});
