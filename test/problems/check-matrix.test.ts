// Formula answers in matrix calculus (numerator layout): right chains are accepted at the problem's
// values and at random points; a transposed result and a reversed chain are named.
import { describe, expect, it } from "vitest";
import { checkAnswers } from "../../src/problems/check.js";
import { parseAnswers } from "../../src/problems/answers.js";
import { checkFile, loadProblem } from "../../src/problems/index.js";
import { compile } from "../../src/problems/compile.js";

const PROBLEM = "examples/seed001-regression-3relu.yaml";
const verdicts = (text: string) => checkAnswers(loadProblem(PROBLEM), parseAnswers(text, "a.yaml"), (p) => compile(p)).verdicts;

describe("matrix-calculus answers", () => {
  it("the numerator-layout chains of seed 001 1.1.1 are right", () => {
    const r = checkFile(PROBLEM, "examples/answers/seed001-matrix-calculus.yaml");
    expect(r.counts.correct).toBe(4);
    expect(r.firstWrong).toBeNull();
  });
  it("∂C/∂W1 in numerator layout is (∂C/∂W1)ᵀ: x (2×1) times the 1×3 row ∂C/∂s1 = [7.14, 0, 0] (hand: 3·[s1 > 0]·W2ᵀ·2(ỹ − y))", () => {
    const [v] = verdicts('dC/dW1: "x * dC/dytilde * dytilde/ds2 * W2 * da1/ds1"\n');
    // x = [1, −2]: rows x·[7.14, 0, 0]
    expect((v?.got as number[]).map((n) => Math.round(n * 1000) / 1000)).toEqual([7.14, 0, 0, -14.28, 0, 0]);
    expect(v?.status).toBe("correct");
  });
  it("names a transposed (denominator-layout) result", () => {
    const [v] = verdicts("dC/dW1: \"da1/ds1 * W2' * dytilde/ds2 * dC/dytilde' * x'\"\n");
    expect(v?.status).toBe("wrong");
    expect(v?.cause).toMatch(/^transposed: the formula gives the denominator-layout gradient/);
  });
  it("names a chain in reverse order", () => {
    const [v] = verdicts('dC/db1: "da1/ds1 * W2 * dytilde/ds2 * dC/dytilde"\n');
    expect(v?.status).toBe("wrong");
    expect(v?.cause).toMatch(/^the factors are in reverse order/);
  });
});
