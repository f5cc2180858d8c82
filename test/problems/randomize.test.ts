// nabla solve --randomize --seed S: per-student variants with new, hand-workable numbers.
import { describe, expect, it } from "vitest";
import { solveCommand } from "../../src/cli/solve.js";
import { loadProblem } from "../../src/problems/index.js";
import { randomizedValues } from "../../src/problems/randomize.js";

const FILE = "examples/seed003-sigmoid-network.yaml";

describe("randomized variants", () => {
  it("redraws inputs and parameters with two significant digits, keeps the target, and is reproducible", () => {
    const c = loadProblem(FILE);
    const a = randomizedValues(c, 5), b = randomizedValues(c, 5), other = randomizedValues(c, 6);
    expect(a.has(c.target)).toBe(false);
    for (const [k, t] of a) {
      expect(Array.from(t.data)).toEqual(Array.from(b.get(k)?.data ?? []));
      for (const x of t.data) expect(Number(x.toPrecision(2))).toBe(x);
    }
    expect([...a].some(([k, t]) => t.data[0] !== other.get(k)?.data[0])).toBe(true);
  });
  it("solves the variant: σ(s3) from the printed numbers (hand formula) appears in the JSON", () => {
    const j = JSON.parse(solveCommand(FILE, { format: "json", randomize: 5 })) as { quantities: Record<string, number> };
    const q = j.quantities;
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const h1 = sig(q.x1! * q.w1! + q.x2! * q.w2!), h2 = sig(q.x3! * q.w3! + q.x4! * q.w4!);
    expect(q.yhat).toBeCloseTo(sig(h1 * q.w5! + h2 * q.w6!), 12);
  });
});
