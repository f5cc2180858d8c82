// Per-student variants of a problem (`nabla solve FILE --randomize --seed S`): the same model with new
// numbers — inputs and parameters redrawn around their magnitude and rounded to two significant
// digits, so they can be worked by hand. Targets, and inputs that are all 0/1 (labels, masks), stay.
import { Tensor } from "../autograd/tensor.js";
import { Random } from "../tensor/random.js";
import type { Compiled } from "./compile.js";

const round2 = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(2)));

/** New values for the problem's inputs and parameters (seeded). */
export function randomizedValues(c: Compiled, seed: number): Map<string, Tensor> {
  const rng = new Random(seed);
  const at = new Map<string, Tensor>();
  for (const [k, v] of [...c.constants, ...c.parameters]) {
    if (k === c.target || Array.from(v.data).every((x) => x === 0 || x === 1)) continue;
    const scale = Math.max(0.5, ...Array.from(v.data, Math.abs));
    at.set(k, new Tensor(Float64Array.from(v.data, () => round2((rng.uniform() * 2 - 1) * scale)), v.shape));
  }
  return at;
}
