// Generated from the op registry: every differentiable primitive is gradchecked and
// gradgradchecked in float64 on its declared samples. Adding an op adds its tests here.
import { describe, expect, it } from "vitest";
import { applyOp } from "../../src/autograd/tensor.js";
import type { Applier } from "../../src/ops/types.js";
import { gradcheck, gradgradcheck, ops, Random, registry, Tensor } from "../../src/index.js";

const applier: Applier<Tensor> = { apply: (op, inputs, attrs) => applyOp(op, inputs, attrs) };

function inputsFor(shapes: readonly (readonly number[])[], domains: readonly (readonly [number, number])[] | undefined, seed: number): Tensor[] {
  const rng = new Random(seed);
  return shapes.map((shape, i) => {
    const [lo, hi] = domains?.[i] ?? [-2, 2];
    const n = shape.reduce((a, b) => a * b, 1);
    const d = new Float64Array(n);
    for (let k = 0; k < n; k++) d[k] = lo + (hi - lo) * rng.uniform();
    return new Tensor(d, shape);
  });
}

describe("op registry", () => {
  it("names every op after its registry key", () => {
    for (const [key, op] of Object.entries(ops)) expect(op.name).toBe(key);
  });
  it("gives every differentiable op at least one sample", () => {
    for (const op of registry) if (!op.nondiff) expect(op.samples.length, op.name).toBeGreaterThan(0);
  });
});

const cases = registry.flatMap((op) => op.samples.map((s, i) => [`${op.name} #${i} ${JSON.stringify(s.shapes)}`, s] as const));

describe("gradcheck (float64, central differences)", () => {
  it.each(cases)("%s", (_name, s) => {
    const xs = inputsFor(s.shapes, s.domains, 7);
    const r = gradcheck((...a) => s.run(applier, a), xs, { skip: s.constant });
    expect(r.ok, r.message).toBe(true);
  });
});

describe("gradgradcheck (float64)", () => {
  it.each(cases)("%s", (_name, s) => {
    const xs = inputsFor(s.shapes, s.domains, 11);
    const r = gradgradcheck((...a) => s.run(applier, a), xs, { skip: s.constant });
    expect(r.ok, r.message).toBe(true);
  });
});
