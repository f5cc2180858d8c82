// Every code block of README.md is checked: TypeScript blocks are type-checked under the repository's
// strict settings against the built package and run (a trailing `// [json]` comment is asserted),
// `npx nabla …` lines run the built binary (outputs into a temporary directory), the problem-file
// block is the example it names, and the output excerpt is what `nabla solve` prints.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(".");
const readme = readFileSync("README.md", "utf8");
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] as string, code: m[2] as string, line: readme.slice(0, m.index).split("\n").length }));
const tmp = mkdtempSync(join(tmpdir(), "nabla-readme-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A project in the temporary directory that depends on nabla (a link to this repository). */
function project(): string {
  const dir = join(tmp, "project");
  if (existsSync(dir)) return dir;
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(root, join(dir, "node_modules", "nabla"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-blocks", type: "module", private: true }));
  return dir;
}

/** `expr; // [1, 2]` → an assertion that expr deep-equals the JSON. */
function withAssertions(code: string): string {
  const lines = code.split("\n").map((l) => {
    const m = /^(\s*)(?!const |let |var )(.+?);\s*\/\/\s*(\[.*\]|-?\d[\d.e+-]*)\s*$/.exec(l);
    if (m === null) return l;
    return `${m[1]}__expect(${m[2]}, ${JSON.stringify(m[3])});`;
  });
  const helper = "function __expect(actual: unknown, want: string): void {\n  if (JSON.stringify(actual) !== JSON.stringify(JSON.parse(want))) throw new Error(`README: got ${JSON.stringify(actual)}, the README says ${want}`);\n}\n";
  return `${lines.join("\n")}\n${helper}`;
}

const tsBlocks = blocks.filter((b) => b.lang === "ts" || b.lang === "typescript");

describe("README TypeScript blocks", () => {
  it("there is at least one, and each imports nabla", () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    for (const b of tsBlocks) expect(b.code).toMatch(/from "nabla"/);
  });
  it.each(tsBlocks.map((b) => [b.line, b]))("block at line %i type-checks under strict settings and runs", async (_line, b) => {
    const dir = project();
    const file = join(dir, `block-${b.line}.ts`);
    writeFileSync(file, withAssertions(b.code));
    const options: ts.CompilerOptions = {
      strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true,
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [],
    };
    const program = ts.createProgram([file], options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
    const js = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const mjs = file.replace(/\.ts$/, ".mjs");
    writeFileSync(mjs, js);
    const r = await run(process.execPath, [mjs], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
  });
});

/** Shell words of a command line (double and single quotes; no other shell syntax). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

const OUTPUT_FLAGS = new Set(["-o", "--output", "--plot"]);
const shellLines = blocks.filter((b) => b.lang === "sh").flatMap((b) => b.code.split("\n"));
const command = (l: string): string | undefined => /npx nabla (.*?)\s*(?:#.*)?$/.exec(l)?.[1];
// NOTE: lines marked "long-running" run in a test of their own with a longer limit, except `fit`
// (training the shipped model takes about 40 minutes; test/train covers fit on the committed subset).
const commands = shellLines.filter((l) => !l.includes("long-running")).map(command).filter((c): c is string => c !== undefined);
const slow = shellLines.filter((l) => l.includes("long-running") && !/npx nabla fit /.test(l)).map(command).filter((c): c is string => c !== undefined);

async function runAll(commands: readonly string[], sub: string): Promise<void> {
    const outDir = join(tmp, sub);
    mkdirSync(outDir, { recursive: true });
    const runs = commands.map(async (c) => {
      const args = words(c);
      const outputs: string[] = [];
      const mapped = args.map((a, i) => {
        if (!OUTPUT_FLAGS.has(args[i - 1] ?? "")) return a;
        outputs.push(join(outDir, a));
        return join(outDir, a);
      });
      const r = await run(process.execPath, ["bin/nabla.js", ...mapped], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
      return { c, r, outputs };
    });
    for (const { c, r, outputs } of await Promise.all(runs)) {
      expect(r.stderr, c).toBe("");
      for (const o of outputs) expect(statSync(o).size, `${c}: ${o}`).toBeGreaterThan(100);
      if (outputs.length === 0) expect(r.stdout.length, c).toBeGreaterThan(100);
    }
}

describe("README shell blocks", () => {
  it("name npx nabla commands", () => expect(commands.length).toBeGreaterThanOrEqual(5));
  it("every `npx nabla …` runs as node bin/nabla.js with status 0, writing its outputs", () => runAll(commands, "outputs"));
  it("the long-running ones too (dream on the shipped model)", () => runAll(slow, "slow"), 300_000);
});

describe("README problem file and output excerpt", () => {
  it("the YAML block is examples/seed003-sigmoid-network.yaml in full, as the README says", () => {
    const yaml = blocks.filter((b) => b.lang === "yaml");
    expect(yaml).toHaveLength(1);
    expect(readme).toMatch(/This is `examples\/seed003-sigmoid-network\.yaml` in full/);
    expect(yaml[0]?.code).toBe(readFileSync("examples/seed003-sigmoid-network.yaml", "utf8"));
  });
  it("the output excerpt's lines are lines of `nabla solve examples/seed003-sigmoid-network.yaml`", async () => {
    const excerpt = blocks.find((b) => b.lang === "" && b.code.includes("Backward pass"));
    expect(excerpt).toBeDefined();
    const out = (await run(process.execPath, ["bin/nabla.js", "solve", "examples/seed003-sigmoid-network.yaml"], { cwd: root, encoding: "utf8" })).stdout.split("\n");
    for (const l of (excerpt?.code ?? "").split("\n").filter((x) => x.trim() !== "")) expect(out, l).toContain(l);
  });
});
