// The expression language on hostile input: names that every JavaScript object has, very long
// flat sums (linear time, no stack overflow), deep nesting (a located limit), long source lines.
import { describe, expect, it } from "vitest";
import { tensor } from "../../src/autograd/creation.js";
import type { Tensor } from "../../src/autograd/tensor.js";
import { main } from "../../src/cli/main.js";
import { freeVariables } from "../../src/expr/ast.js";
import { ParseError } from "../../src/expr/errors.js";
import { evaluate, run } from "../../src/expr/evaluate.js";
import { FUNCTIONS } from "../../src/expr/functions.js";
import { parseExpression, parseProgram } from "../../src/expr/parser.js";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

const scalar = (v: number): Tensor => tensor(v, { requiresGrad: true });
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `x${i + 1}`);

describe("names from Object.prototype", () => {
  it.each(["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"])("%s(w) is an unknown function, located", (fn) => {
    const src = `L = ${fn}(w)`;
    expect(() => evaluate(parseProgram(src)[0]!.expr, new Map([["w", scalar(1)]]), src)).toThrow(`1:5: unknown function '${fn}' (known: `);
  });
  it("the function table is a Map: no name reaches Object.prototype", () => {
    for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"]) expect(FUNCTIONS.get(name)).toBeUndefined();
  });
  it.each([
    ["__proto__ = x*2", 1],
    ["a = x*2; constructor = a + 1", 10],
    ["a = toString * 2", 5],
  ])("%s: a reserved name, refused at its column", (src, column) => {
    const name = /(__proto__|constructor|toString)/.exec(src)![1];
    expect(() => parseProgram(src)).toThrow(`1:${column}: '${name}' is a reserved name (every JavaScript object has a property of that name), choose another name`);
  });
  it("nabla graph with a reserved name or function: status 1, one message, no trace", async () => {
    const r = await cli(["graph", "w = toString(x)", "--at", "x=1"]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")[0]).toMatch(/^nabla: 1:5: unknown function 'toString' \(known: /);
    const p = await cli(["graph", "__proto__ = x*2; w = __proto__*3", "--at", "x=1"]);
    expect(p.code).toBe(1);
    expect(p.err.split("\n")[0]).toBe("nabla: 1:1: '__proto__' is a reserved name (every JavaScript object has a property of that name), choose another name");
    expect(r.err + p.err).not.toMatch(/^ {4}at /m);
  });
});

describe("long and deep expressions", () => {
  it("a flat sum of 10,000 terms parses, evaluates and differentiates in well under a second", () => {
    const xs = names(10_000);
    const src = `L = ${xs.join(" + ")}`;
    const t0 = performance.now();
    const program = parseProgram(src);
    const env = run(program, new Map(xs.map((x, i) => [x, scalar(i + 1)])), src);
    const elapsed = performance.now() - t0;
    expect(env.get("L")!.item()).toBe((10_000 * 10_001) / 2); // 1 + 2 + … + n = n(n + 1)/2
    env.get("L")!.backward();
    expect(env.get("x1")!.grad!.item()).toBe(1);
    expect(env.get("x10000")!.grad!.item()).toBe(1);
    expect(elapsed).toBeLessThan(1000);
  });
  it("free variables of a long sum: linear time, first-use order, no duplicates", () => {
    const xs = names(20_000);
    const e = parseExpression(`${xs.join(" + ")} + x1 * x2`);
    const t0 = performance.now();
    const vars = freeVariables(e);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(vars).toEqual(xs);
  });
  it("20,000 postfix transposes (a chain with no parentheses) evaluate without a stack overflow", () => {
    const src = `L = v${"'".repeat(20_000)}`;
    const env = run(parseProgram(src), new Map([["v", tensor([[1, 2]])]]), src);
    expect(env.get("L")!.shape).toEqual([1, 2]); // an even number of transposes
  });
  it("operands still run left to right: the first unknown name is reported", () => {
    const src = "L = a + b";
    expect(() => evaluate(parseProgram(src)[0]!.expr, new Map(), src)).toThrow("1:5: unknown name 'a'");
  });
  it.each([
    ["((((…))))", (n: number) => `L = ${"(".repeat(n)}x${")".repeat(n)}`],
    ["- - - … x", (n: number) => `L = ${"-".repeat(n)}x`],
    ["x^x^…^x", (n: number) => `L = ${Array(n).fill("x").join("^")}`],
    ["f(f(…))", (n: number) => `L = ${"exp(".repeat(n)}x${")".repeat(n)}`],
  ])("nesting %s 5,000 deep: a ParseError at a line and column, not a stack overflow", (_name, make) => {
    let err: unknown;
    try {
      parseProgram(make(5000));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).line).toBe(1);
    expect((err as ParseError).message).toMatch(/^1:\d+: expression nests deeper than \d+ levels\n/);
  });
  it("an error in a very long line shows a window of it around the caret", () => {
    const src = `L = ${names(4000).join(" + ")} + )`;
    let message = "";
    try {
      parseProgram(src);
    } catch (e) {
      message = (e as Error).message;
    }
    const [head, shown, caretLine] = message.split("\n");
    expect(head).toBe(`1:${src.length}: expected a number, a name, '(' or '[', got ')'`);
    expect(shown!.length).toBeLessThan(100);
    expect(shown).toMatch(/^ {2}….* \+ \)$/);
    expect(caretLine!.length).toBe(shown!.length); // the caret sits under the ')'
    expect(caretLine!.trim()).toBe("^");
  });
});
