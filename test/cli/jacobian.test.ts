// nabla jacobian on seed 001 1.2(d)(e): f(x) = W1x, g(x) = W2x; the Jacobians of f + g and of the
// compositions, in numbers (hand-multiplied here) and in symbols.
import { describe, expect, it } from "vitest";
import { jacobianCommand } from "../../src/cli/jacobian.js";

const AT = ["W1=[[1,2],[3,4]]", "W2=[[0,1],[1,0]]", "x=[1,-1]"];

describe("nabla jacobian", () => {
  it("f + g: J = W1 + W2 = [[1, 3], [4, 4]]", () => {
    const t = jacobianCommand("h = W1 @ x + W2 @ x", "x", AT);
    expect(t).toContain("[[1, 3], [4, 4]]");
    expect(t).toMatch(/J = W2 \+ W1/);
  });
  it("f + f: J = 2W1 = [[2, 4], [6, 8]]", () => {
    const t = jacobianCommand("h = W1 @ x + W1 @ x", "x", AT);
    expect(t).toContain("[[2, 4], [6, 8]]");
    expect(t).toMatch(/J = W1 \+ W1|J = 2 · W1/);
  });
  it("g ∘ f: J = W2·W1 = [[3, 4], [1, 2]]; f ∘ f: J = W1·W1 = [[7, 10], [15, 22]]", () => {
    const gf = jacobianCommand("h = W2 @ (W1 @ x)", "x", AT);
    expect(gf).toContain("[[3, 4], [1, 2]]");
    expect(gf).toMatch(/J = W2 · W1/);
    const ff = jacobianCommand("h = W1 @ (W1 @ x)", "x", AT);
    expect(ff).toContain("[[7, 10], [15, 22]]");
    expect(ff).toMatch(/J = W1 · W1/);
  });
});

describe("the symbolic Jacobians hold at 20 random points and sizes (against autograd's jacobian)", () => {
  it.each([
    ["h = W1 @ x + W2 @ x", "W2 + W1", (W1: number[][], W2: number[][]) => W1.map((r, i) => r.map((v, j) => v + (W2[i]?.[j] ?? 0)))],
    ["h = W2 @ (W1 @ x)", "W2 · W1", (W1: number[][], W2: number[][]) => W2.map((r) => (W1[0] ?? []).map((_, j) => r.reduce((s, v, k) => s + v * (W1[k]?.[j] ?? 0), 0)))],
  ] as const)("%s: J = %s", (source, symbolic, formula) => {
    let seed = 3;
    const r = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; };
    for (let k = 0; k < 20; k++) {
      const n = 1 + (k % 3), m = 1 + ((k * 7) % 4);
      const mat = (a: number, b: number): number[][] => Array.from({ length: a }, () => Array.from({ length: b }, r));
      const W1 = mat(source.includes("W2 @ (W1") ? n : m, n), W2 = mat(m, source.includes("W2 @ (W1") ? n : n);
      const x = Array.from({ length: n }, r);
      const text = jacobianCommand(source, "x", [`W1=${JSON.stringify(W1)}`, `W2=${JSON.stringify(W2)}`, `x=${JSON.stringify(x)}`]);
      expect(text).toContain(`J = ${symbolic}`);
      const printed = JSON.parse(/at the given values:\n {2}(.*)\n/.exec(text)?.[1] ?? "null") as number[][];
      const want = formula(W1, W2);
      printed.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i] ?? NaN, 4));
    }
  });
});
