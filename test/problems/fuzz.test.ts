// Fuzzing the parser and the problem loader: malformed input always gives a typed, located error.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/expr/errors.js";
import { parseProgram } from "../../src/expr/parser.js";
import { compile } from "../../src/problems/compile.js";
import { locator, parseProblem, ProblemError } from "../../src/problems/load.js";
import { NablaError } from "../../src/index.js";

const TOKENS = ["x", "y1", "W", "sigmoid", "(", ")", "[", "]", ",", ";", "=", "+", "-", "*", "/", "^", "@", "'", ".T", "1", "2.5", "1e-3", " ", "\n", "#c\n", "$", "!", "{", "..", "3.", ".5", "=="];

describe("expression parser fuzz", () => {
  it("gives a located ParseError for ≥10,000 malformed programs, never another exception or a hang", () => {
    let malformed = 0;
    const start = Date.now();
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 30 }), (toks) => {
      const src = toks.join("");
      try {
        parseProgram(src);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        const pe = e as ParseError;
        expect(pe.line).toBeGreaterThanOrEqual(1);
        expect(pe.column).toBeGreaterThanOrEqual(1);
        expect(pe.message).toMatch(/^\d+:\d+: .+\n.*\n *\^$/);
        malformed++;
      }
    }), { numRuns: 14000, seed: 42 });
    expect(malformed).toBeGreaterThanOrEqual(10000);
    expect(Date.now() - start).toBeLessThan(60000);
  });
  it("rejects pathological nesting with an error, not a stack overflow", () => {
    expect(() => parseProgram(`z = ${"(".repeat(5000)}x${")".repeat(5000)}`)).toThrow(ParseError);
    expect(() => parseProgram(`z = ${"-".repeat(5000)}x`)).toThrow(ParseError);
  });
});

const base = readFileSync(new URL("../../examples/seed003-sigmoid-network.yaml", import.meta.url), "utf8");
const lines = base.split("\n");
const JUNK = ["", "{", "]", ":", "- -", "kind: nope", "  extra_field: 1", "lr: -1", "x1: [1, [2]]", "w1: abc", "title:", "  formulas: |\n    y = (", "loss: 3", "training: {iterations: -2}", "\t", "report: {digits: 99}", "model: {layers: [{linear: {in: 0}}]}", "inputs: {x1: .nan}"];

describe("problem file fuzz", () => {
  it("gives a typed, located error for ≥1,000 malformed problem files", () => {
    let malformed = 0;
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(lines.length - 1), fc.constantFrom(...JUNK), fc.constantFrom("replace", "insert", "delete", "truncate")), { minLength: 1, maxLength: 3 }),
      (edits) => {
        const ls = [...lines];
        for (const [at, junk, how] of edits) {
          if (how === "replace") ls[at] = junk;
          else if (how === "insert") ls.splice(at, 0, junk);
          else if (how === "delete") ls.splice(at, 1);
          else ls.splice(at);
        }
        const text = ls.join("\n");
        try {
          compile(parseProblem(text, "fuzz.yaml"), "fuzz.yaml", locator(text));
        } catch (e) {
          expect(e).toBeInstanceOf(NablaError);
          expect(e instanceof ProblemError || e instanceof ParseError).toBe(true);
          expect((e as Error).message).toMatch(/^fuzz\.yaml:\d+:\d+: /);
          malformed++;
        }
      },
    ), { numRuns: 1500, seed: 7 });
    expect(malformed).toBeGreaterThanOrEqual(1000);
  });
});
