// Large data: a million samples solve in bounded memory (< 1 GB RSS, measured in a child process)
// with a summarised output; big batches print the first samples' steps and a summary unless
// --full; the vectorised path for scalar elementwise models agrees with the sample-by-sample one.
// Expected values are computed here by plain loops over the generated data.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadProblem } from "../../src/problems/index.js";
import { solve } from "../../src/problems/solve.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-large-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A seeded uniform stream (LCG), the same in every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** ŷ = w·x + b, batch-mean squared error, SGD; rows `- {x, y}` with y ≈ 2x − 1. */
function linearProblem(n: number, formula = "yhat = w*x + b"): { text: string; xs: Float64Array; ys: Float64Array } {
  const r = lcg(7), xs = new Float64Array(n), ys = new Float64Array(n);
  const lines = ["title: a million samples", "model:", `  formulas: ${formula}`, "parameters: {w: 0.5, b: 0.1}", "loss: {kind: mse}", "optimizer: {kind: sgd, lr: 0.1}", "training: {iterations: 1, mode: batch-mean}", "data:"];
  for (let i = 0; i < n; i++) {
    const x = Number((r() * 4 - 2).toFixed(6)), y = Number((2 * x - 1 + 0.1 * (r() - 0.5)).toFixed(6));
    xs[i] = x;
    ys[i] = y;
    lines.push(`  - {x: ${x}, y: ${y}}`);
  }
  return { text: `${lines.join("\n")}\n`, xs, ys };
}

/** L = mean (w x + b − y)², ∂L/∂w = mean 2(w x + b − y)x, ∂L/∂b = mean 2(w x + b − y). */
function expected(xs: Float64Array, ys: Float64Array, w: number, b: number): { L: number; dw: number; db: number } {
  let L = 0, dw = 0, db = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = w * (xs[i] as number) + b - (ys[i] as number);
    L += d * d;
    dw += 2 * d * (xs[i] as number);
    db += 2 * d;
  }
  return { L: L / xs.length, dw: dw / xs.length, db: db / xs.length };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Runs the built CLI in a child process capped at 900 MB of heap; returns its output and peak RSS. */
function childSolve(args: string[]): { status: number | null; out: string; err: string; maxRssMB: number; seconds: number } {
  const script = `process.on("exit", () => process.stderr.write("\\nmaxRSS=" + process.resourceUsage().maxRSS + "\\n")); process.argv = [process.argv[0], "nabla", ...${JSON.stringify(args)}]; await import(${JSON.stringify(resolve("bin/nabla.js"))});`;
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=900", "--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  const m = /maxRSS=(\d+)/.exec(r.stderr);
  return { status: r.status, out: r.stdout, err: r.stderr.replace(/\n?maxRSS=\d+\n/, ""), maxRssMB: Number(m?.[1] ?? NaN) / 1024, seconds };
}

describe("a million samples", () => {
  it("solves in < 1 GB RSS with a summarised output; loss and gradients match plain loops", () => {
    const n = 1_000_000;
    const { text, xs, ys } = linearProblem(n);
    const file = join(tmp, "million.yaml");
    writeFileSync(file, text);
    const json = childSolve(["solve", file, "--format", "json"]);
    expect(json.err).toBe("");
    expect(json.status).toBe(0);
    console.log(`1M samples (${(text.length / 1e6).toFixed(0)} MB): ${json.seconds.toFixed(1)} s, max RSS ${json.maxRssMB.toFixed(0)} MB`);
    expect(json.maxRssMB).toBeLessThan(1024);
    expect(json.out.length).toBeLessThan(50_000);
    const sol = JSON.parse(json.out) as { quantities: Record<string, number>; iterations: { sampleCount: number; samples: unknown[] }[] };
    expect(sol.iterations[0]?.sampleCount).toBe(n);
    expect(sol.iterations[0]?.samples).toHaveLength(3);
    const e = expected(xs, ys, 0.5, 0.1);
    expect(rel(sol.quantities.L as number, e.L)).toBeLessThan(1e-9);
    expect(rel(sol.quantities["dL/dw"] as number, e.dw)).toBeLessThan(1e-9);
    expect(rel(sol.quantities["dL/db"] as number, e.db)).toBeLessThan(1e-9);
    expect(rel(sol.quantities["w@2"] as number, 0.5 - 0.1 * e.dw)).toBeLessThan(1e-12);
  });
});

describe("big batches", () => {
  it("5,000 samples: the first three in full and a summary; --full prints every sample", async () => {
    const solveText = async (args: string[]): Promise<string> => {
      let out = "";
      expect(await main(["solve", ...args], { out: (s) => { out += s; }, err: () => undefined })).toBe(0);
      return out;
    };
    const file = join(tmp, "five-thousand.yaml");
    writeFileSync(file, linearProblem(5000).text);
    const out = await solveText([file]);
    expect(out).toMatch(/Forward pass — sample 3\n/);
    expect(out).not.toMatch(/Forward pass — sample 4\n/);
    expect(out).toMatch(/… samples 4 to 5000 are not shown step by step \(pass --full for every sample\); they enter the total below …/);
    expect(out).toMatch(/Total loss \(mean over 5000 samples\)/);
    expect(out.length).toBeLessThan(20_000);
    const small = join(tmp, "two-hundred.yaml");
    writeFileSync(small, linearProblem(200).text);
    const full = await solveText([small, "--full"]);
    expect(full).toMatch(/Forward pass — sample 200\n/);
    expect(full).not.toMatch(/not shown step by step/);
  });
  it("vector samples go one at a time, in bounded memory, with the same sums", () => {
    // ŷ = w @ x + b with x ∈ ℝ²: not elementwise, so no vectorised path
    const n = 10_000, r = lcg(3);
    const lines = ["title: vectors", "model:", "  formulas: yhat = w @ x + b", "parameters: {w: [0.3, -0.2], b: 0.1}", "loss: {kind: mse}", "optimizer: {kind: sgd, lr: 0.1}", "training: {iterations: 1, mode: batch-sum}", "data:"];
    let dw0 = 0, dw1 = 0, L = 0;
    for (let i = 0; i < n; i++) {
      const x0 = Number((r() - 0.5).toFixed(4)), x1 = Number((r() - 0.5).toFixed(4)), y = Number(r().toFixed(4));
      lines.push(`  - {x: [${x0}, ${x1}], y: ${y}}`);
      const d = 0.3 * x0 - 0.2 * x1 + 0.1 - y;
      L += d * d;
      dw0 += 2 * d * x0;
      dw1 += 2 * d * x1;
    }
    const file = join(tmp, "vectors.yaml");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const res = childSolve(["solve", file, "--format", "json"]);
    expect(res.status).toBe(0);
    console.log(`10k vector samples, one at a time: ${res.seconds.toFixed(1)} s, max RSS ${res.maxRssMB.toFixed(0)} MB`);
    expect(res.maxRssMB).toBeLessThan(300);
    const q = (JSON.parse(res.out) as { quantities: Record<string, number | number[]> }).quantities;
    expect(rel(q.L as number, L)).toBeLessThan(1e-9);
    const dw = q["dL/dw"] as number[];
    expect(rel(dw[0] as number, dw0)).toBeLessThan(1e-9);
    expect(rel(dw[1] as number, dw1)).toBeLessThan(1e-9);
  });
  it("the vectorised path equals the sample-by-sample path", () => {
    const a = join(tmp, "vec.yaml"), b = join(tmp, "one-by-one.yaml");
    writeFileSync(a, linearProblem(20_000, "yhat = sigmoid(w*x + b)").text);
    // sum() of a number is that number, but sum is a reduction: these samples go one at a time
    writeFileSync(b, linearProblem(20_000, "yhat = sigmoid(sum(w*x) + b)").text);
    const [qa, qb] = [a, b].map((f) => solve(loadProblem(f)).quantities);
    for (const k of ["L", "dL/dw", "dL/db", "w@2", "b@2"]) expect(rel(qa!.get(k)!.item(), qb!.get(k)!.item()), k).toBeLessThan(1e-12);
  });
});
