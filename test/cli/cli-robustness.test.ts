// Bad paths, bad values and closed pipes end in one located line and a documented exit status
// (README "Exit status"), never a stack trace. Process-level checks run the built binary.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { writeFailure, writeOutput } from "../../src/cli/write-output.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-robust-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SEED3 = "examples/seed003-sigmoid-network.yaml";
const STACK_FRAME = /^ {4}at /m;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

/** The built binary, as a user runs it. */
function bin(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["bin/nabla.js", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs `fn` with the effective user `nobody` when we are root (root may write anywhere). */
async function unprivileged<T>(fn: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0 || process.seteuid === undefined) return fn();
  process.seteuid(65534);
  try {
    return await fn();
  } finally {
    process.seteuid(0);
  }
}

describe("output files", () => {
  const missing = join(tmp, "missing-dir");
  it.each([
    ["graph", ["graph", "w = x*y", "--at", "x=1", "y=2", "-o", join(missing, "x.svg")], "graph", "x.svg"],
    ["graph png", ["graph", "w = x*y", "--at", "x=1", "y=2", "-f", "png", "-o", join(missing, "x.png")], "graph", "x.png"],
    ["plot activations", ["plot", "activations", "-o", join(missing, "x.png")], "plot", "x.png"],
    ["plot curves", ["plot", "curves", SEED3, "-o", join(missing, "c.svg")], "plot", "c.svg"],
    ["train --plot", ["train", SEED3, "--plot", join(missing, "t.svg")], "plot", "t.svg"],
  ])("%s into a missing directory: status 1, the path named, no trace", (_name, args, op, file) => {
    const r = bin(args);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`nabla: ${op}: cannot write ${join(missing, file)}: the directory ${missing} does not exist. Create it first or choose another path.\n`);
    expect(r.err).not.toMatch(STACK_FRAME);
    expect(r.out).toBe(""); // train fails before it prints a summary it cannot plot
  });
  it("a file where a directory should be, and a directory as the output", async () => {
    const file = join(tmp, "plain.txt");
    writeFileSync(file, "x");
    const r = await cli(["graph", "w = x*y", "--at", "x=1", "y=2", "-o", join(file, "x.svg")]);
    expect([r.code, r.err]).toEqual([1, `nabla: graph: cannot write ${join(file, "x.svg")}: ${file} is not a directory.\n`]);
    const d = await cli(["graph", "w = x*y", "--at", "x=1", "y=2", "-f", "dot", "-o", tmp]);
    expect([d.code, d.err]).toEqual([1, `nabla: graph: cannot write ${tmp}: it is a directory.\n`]);
    const svgDir = join(tmp, "a-directory.svg");
    mkdirSync(svgDir);
    const p = await cli(["plot", "activations", "-o", svgDir]);
    expect([p.code, p.err]).toEqual([1, `nabla: plot: cannot write ${svgDir}: it is a directory.\n`]);
  });
  it("a read-only directory: permission denied, the path named", async () => {
    const ro = join(tmp, "read-only");
    mkdirSync(ro);
    chmodSync(tmp, 0o755);
    chmodSync(ro, 0o555);
    const args = ["graph", "w = x*y", "--at", "x=1", "y=2", "-o"];
    expect((await cli([...args, join(tmp, "warm.svg")])).code).toBe(0); // loads the renderer while files are readable
    const r = await unprivileged(() => cli([...args, join(ro, "x.svg")]));
    chmodSync(ro, 0o755);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`nabla: graph: cannot write ${join(ro, "x.svg")}: permission denied (is ${ro} writable?).\n`);
  });
  it("errno codes are named in words (EACCES, EROFS, ENOSPC)", () => {
    const err = (code: string): Error => Object.assign(new Error(code), { code });
    expect(writeFailure("out/x.svg", err("EACCES"))).toBe("cannot write out/x.svg: permission denied (is out writable?).");
    expect(writeFailure("out/x.svg", err("EROFS"))).toBe("cannot write out/x.svg: out is on a read-only file system.");
    expect(writeFailure("out/x.svg", err("ENOSPC"))).toBe("cannot write out/x.svg: no space left on the device.");
  });
  it("writes atomically: the whole new content, no temporary file left, the old file kept on failure", () => {
    const dir = join(tmp, "atomic");
    mkdirSync(dir);
    const path = join(dir, "out.txt");
    writeOutput(path, "first", "test");
    writeOutput(path, "second", "test");
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
    expect(() => writeOutput(join(dir, "no", "x.txt"), "x", "test")).toThrow(/^test: cannot write .*: the directory .* does not exist/);
    expect(readdirSync(dir)).toEqual(["out.txt"]);
  });
});

describe("arguments", () => {
  it("demo x=.5 is 0.5 (a = 0.5·2 + 3 = 4, b = a·2x = 4, w = ab + b = 20)", async () => {
    const r = await cli(["demo", "x=.5"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/inputs: {5}x = 0\.5, y = 2, z = 3/);
    expect(r.out).toMatch(/w = a·b \+ b\s+= 20\n/);
  });
  it.each(["x=abc", "x=", "q=1", "x=1e999", "x=0x10"])("demo %s: status 1, one line naming the argument", (arg) => {
    const r = bin(["demo", arg]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`nabla: demo: expected x=NUM, y=NUM or z=NUM with a finite number (like 2, -0.5, .5 or 1e-3), got ${JSON.stringify(arg)}.\n`);
  });
  it.each([
    [["graph", "missing.yaml"], "graph: file not found: missing.yaml"],
    [["graph", "some/dir/model"], "graph: file not found: some/dir/model"],
    [["solve", "missing.yaml"], "load: file not found: missing.yaml"],
    [["train", "missing.yml"], "load: file not found: missing.yml"],
    [["check", "missing.yaml", "answers.yaml"], "load: file not found: missing.yaml"],
    [["check", SEED3, "missing-answers.yaml"], "check: file not found: missing-answers.yaml"],
    [["plot", "curves", "missing.json", "-o", join(tmp, "c.svg")], "load: file not found: missing.json"],
  ])("%j: file not found, status 1", (args, message) => {
    const r = bin(args);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`nabla: ${message}\n`);
  });
  it("graph still reads statements with '/' as division", async () => {
    const r = await cli(["graph", "w = x/y", "--at", "x=1", "y=2", "-f", "dot"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/label="w = ÷\\n= 0\.5/);
  });
  it.each([
    ["-1e308,1e308", "plot: range must have a finite width hi − lo, got -1e+308,1e+308 (width Infinity). Narrow the range."],
    ["4,-4", "plot: range must be two finite numbers lo < hi, got 4,-4."],
    [",4", "plot: --range must be two numbers like -4,4, got ,4."],
    ["1e999,2e999", "plot: --range must be two numbers like -4,4, got 1e999,2e999."],
  ])("plot activations --range %s: status 1, no SVG written", async (range, message) => {
    const out = join(tmp, `range${range.length}.svg`);
    const r = await cli(["plot", "activations", "--fn", "relu", `--range=${range}`, "-o", out]);
    expect([r.code, r.err]).toEqual([1, `nabla: ${message}\n`]);
    expect(readdirSync(tmp)).not.toContain(`range${range.length}.svg`);
  });
  it("a wide but finite range plots without NaN", async () => {
    const out = join(tmp, "wide.svg");
    const r = await cli(["plot", "activations", "--fn", "relu,tanh", "--derivative", "--range=-1e300,1e300", "-o", out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).not.toMatch(/NaN/);
  });
});

describe("process", () => {
  it("a reader that stops early (| head -1): status 0, nothing on stderr", async () => {
    const child = spawn("node", ["bin/nabla.js", "solve", SEED3], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first write: EPIPE
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
  });
  it("an error nabla did not throw on purpose: one line, status 3", async () => {
    let err = "";
    const code = await main(["demo"], { out: () => { throw new TypeError("boom"); }, err: (s) => { err += s; } });
    expect(code).toBe(3);
    expect(err).toBe("nabla: internal error: TypeError: boom. This is a bug in nabla; NABLA_DEBUG=1 prints the stack trace.\n");
  });
});
