// The fast path for long data sections reads exactly what the YAML parser reads, and every error in
// such a file keeps its file:line:column, in the data and after it.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/problems/compile.js";
import { splitData } from "../../src/problems/fast-data.js";
import { locator, parseProblem, ProblemError } from "../../src/problems/load.js";

const N = 1500; // above the fast path's threshold
const head = ["title: t", "model:", "  formulas: yhat = w*x + b", "parameters: {w: 0.5, b: 0.1}", "loss: {kind: mse}", "optimizer: {kind: sgd, lr: 0.1}", "training: {iterations: 1, mode: batch-mean}", "data:"];
const row = (i: number): string => `  - {x: ${(i % 17) / 4 - 2}, y: [${i}, -1.5e-3], m: [[1, 2], [3, ${i}]]}  # row ${i}`;
const file = (rows: string[], tail: string[] = []): string => [...head, ...rows, ...tail, ""].join("\n");
const rowsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => row(i));

function errorOf(text: string): ProblemError {
  try {
    compile(parseProblem(text, "f.yaml"), "f.yaml", locator(text));
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("fast data path", () => {
  it("reads the same values as the YAML parser", () => {
    const text = file(rowsOf(N), ["report: {digits: 4}"]);
    expect(splitData(text)?.rows).toHaveLength(N);
    const fast = parseProblem(text);
    // the same text with one row the scanner refuses (a quoted key) is read entirely by YAML
    const slow = parseProblem(text.replace("  - {x: -2,", '  - {"x": -2,'));
    expect(splitData(text.replace("  - {x: -2,", '  - {"x": -2,'))).toBeNull();
    expect(fast).toEqual(slow);
    expect(fast.report.digits).toBe(4);
    expect(fast.data?.[5]).toEqual({ x: (5 % 17) / 4 - 2, y: [5, -1.5e-3], m: [[1, 2], [3, 5]] });
  });
  it("keeps line numbers for errors after the data section", () => {
    const e = errorOf(file(rowsOf(N), ["report: {digits: 99}"]));
    expect(e.message).toMatch(new RegExp(`^f\\.yaml:${head.length + N + 1}:\\d+: report\\.digits: `));
    const unknown = errorOf(file(rowsOf(N), ["", "# a comment", "traning: {iterations: 2}"]));
    expect(unknown.message).toMatch(new RegExp(`^f\\.yaml:${head.length + N + 3}:1: unknown field 'traning' \\(did you mean 'training'\\?\\)`));
  });
  it("locates compile errors outside the data (iterations without an optimizer)", () => {
    const text = file(rowsOf(N)).replace("optimizer: {kind: sgd, lr: 0.1}\ntraining: {iterations: 1,", "training: {iterations: 3,");
    expect(errorOf(text).message).toMatch(/^f\.yaml:6:\d+: training\.iterations: 3 iterations need an optimizer/);
  });
  it.each([
    ["a non-finite number", "  - {x: .nan, y: [1, 2], m: [[1, 2], [3, 4]]}", /^f\.yaml:(\d+):\d+: data\.700\.x: NaN is not allowed/],
    ["a number too large", "  - {x: 1e999, y: [1, 2], m: [[1, 2], [3, 4]]}", /^f\.yaml:(\d+):\d+: data\.700\.x: Infinity is not allowed/],
    ["a repeated key", "  - {x: 1, x: 2, y: [1, 2], m: [[1, 2], [3, 4]]}", /^f\.yaml:(\d+):\d+: Map keys must be unique/],
    ["a reserved name", "  - {__proto__: 1, y: [1, 2], m: [[1, 2], [3, 4]]}", /^f\.yaml:(\d+):\d+: data\.700: '__proto__' is a reserved name/],
  ])("row 701 with %s: the whole file goes to YAML, the error names the row's line", (_what, bad, pattern) => {
    const rows = rowsOf(N);
    rows[700] = bad;
    expect(splitData(file(rows))).toBeNull();
    const m = pattern.exec(errorOf(file(rows)).message);
    expect(m, errorOf(file(rows)).message).not.toBeNull();
    expect(Number(m?.[1])).toBe(head.length + 701);
  });
  it("CRLF line ends, blank and comment lines, and items at column 0", () => {
    const rows = rowsOf(N).map((r, i) => (i % 100 === 0 ? `${r}\n\n# note` : r));
    const crlf = file(rows).replace(/\n/g, "\r\n");
    expect(splitData(crlf)?.rows).toHaveLength(N);
    expect(parseProblem(crlf).data).toHaveLength(N);
    const col0 = file(rowsOf(N).map((r) => r.slice(2)));
    expect(splitData(col0)?.rows).toHaveLength(N);
    expect(parseProblem(col0)).toEqual(parseProblem(file(rowsOf(N))));
  });
});
