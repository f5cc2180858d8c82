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
