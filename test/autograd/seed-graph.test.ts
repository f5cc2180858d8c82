// Seed 001's graph a = xy + z, b = a(x + x), w = ab + b, against hand-derived partials:
// w = 2ax(a + 1) with a = xy + z, so
//   ∂w/∂x = 2a(a + 1) + 2x(2a + 1)·y,  ∂w/∂y = 2x²(2a + 1),  ∂w/∂z = 2x(2a + 1).
import { describe, expect, it } from "vitest";
import { tensor } from "../../src/index.js";

const points = [[1, 2, 3], [-1.5, 0.5, 2], [0, 4, -1], [2.25, -3, 0.75], [-0.3, -0.7, 0.11]] as const;

describe("seed graph a = xy + z, b = a(x + x), w = ab + b", () => {
  it.each(points)("at x=%d y=%d z=%d", (x0, y0, z0) => {
    const x = tensor(x0, { requiresGrad: true }), y = tensor(y0, { requiresGrad: true }), z = tensor(z0, { requiresGrad: true });
    const a = x.mul(y).add(z);
    const b = a.mul(x.add(x));
    const w = a.mul(b).add(b);
    w.backward();
    const A = x0 * y0 + z0;
    expect(w.item()).toBeCloseTo(2 * A * x0 * (A + 1), 12);
    expect(x.grad!.item()).toBeCloseTo(2 * A * (A + 1) + 2 * x0 * (2 * A + 1) * y0, 12);
    expect(y.grad!.item()).toBeCloseTo(2 * x0 * x0 * (2 * A + 1), 12);
    expect(z.grad!.item()).toBeCloseTo(2 * x0 * (2 * A + 1), 12);
  });
  it("gives 60, 104, 22, 22 at (1, 2, 3) exactly", () => {
    const x = tensor(1, { requiresGrad: true }), y = tensor(2, { requiresGrad: true }), z = tensor(3, { requiresGrad: true });
    const a = x.mul(y).add(z);
    const b = a.mul(x.add(x));
    const w = a.mul(b).add(b);
    w.backward();
    expect([w.item(), x.grad!.item(), y.grad!.item(), z.grad!.item()]).toEqual([60, 104, 22, 22]);
  });
});
