// CLI fuzz suite (issue 8): ≥ 10,000 seeded random invocations of `main(args, io)` over every
// command and flag, with valid and broken problem and answers files, missing, unwritable and
// existing outputs, huge and non-finite numbers, prototype-named keys, long and deep formulas; then
// a few real processes, closed pipes included. Every run must end with a documented exit status
// (0, 1 or 2; 3 is a bug), print no stack trace, and leave each output file complete or untouched.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { assignments, expression, type ProblemPool, Rng, writeAnswers, writeProblems } from "./cli-fuzz-inputs.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-cli-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const STACK_FRAME = /^ {4}at /m;
const RUNS = 10_000;

interface Case { readonly args: string[]; readonly outputs: string[] }

/** Output paths: new, existing (its old content must survive a failure), or unwritable. */
function outputPath(r: Rng, ext: string): string {
  const out = join(tmp, "out");
  switch (r.int(8)) {
    case 0: return join(out, "missing-dir", `x.${ext}`);
    case 1: return join(tmp, "problems", "p0.yaml", `under-a-file.${ext}`); // ENOTDIR
    case 2: return join(out, "a-dir");
    case 3: return `/proc/nabla-fuzz.${ext}`; // nothing can be created there, even by root
    case 4: {
      const p = join(out, `existing-${r.int(5)}.${ext}`);
      writeFileSync(p, "OLD CONTENT");
      return p;
    }
    default: return join(out, `new-${r.int(1000)}.${r.pick([ext, ext, "txt"])}`);
  }
}

function fuzzCase(r: Rng, problems: ProblemPool, answers: string[]): Case {
  // long and deep formulas take up to a few hundred milliseconds each: one pick in 50
  const file = (): string => r.pick(r.chance(0.02) && problems.heavy.length > 0 ? problems.heavy : problems.light);
  const digits = (): string[] => (r.chance(0.2) ? ["--digits", r.pick(["1", "5", "17", "0", "18", "abc", "1e3", "-2"])] : []);
  const roll = r.int(100);
  if (roll < 45) return { args: ["solve", file(), ...(r.chance(0.5) ? ["--format", r.pick(["text", "md", "latex", "json", "pdf"])] : []), ...digits(), ...(r.chance(0.2) ? ["--full"] : []), ...(r.chance(0.1) ? ["--standalone"] : [])], outputs: [] };
  if (roll < 55) return { args: ["check", file(), r.pick(answers), ...(r.chance(0.3) ? ["--format", r.pick(["text", "json", "xml"])] : [])], outputs: [] };
  if (roll < 78) {
    const fmt = r.chance(0.8) ? r.pick(["dot", "dot", "svg"]) : r.pick(["png", "gif"]);
    const o = r.chance(0.5) ? outputPath(r, fmt) : undefined;
    return { args: ["graph", expression(r), "--at", ...assignments(r), "--format", fmt, ...digits(), ...(o === undefined ? [] : ["-o", o])], outputs: o === undefined ? [] : [o] };
  }
  if (roll < 84) return { args: ["train", file(), ...(r.chance(0.03) ? ["--plot", outputPath(r, "json")] : [])], outputs: [] };
  if (roll < 85) {
    const o = outputPath(r, r.pick(["json", "json", "svg"]));
    return r.chance(0.5)
      ? { args: ["plot", "activations", "--fn", r.pick(["relu,tanh", "gelu", "swish", "", "__proto__"]), "--range", r.pick(["-4,4", "1e308,-1e308", "a,b", "-1e300,1e300"]), ...(r.chance(0.5) ? ["--derivative"] : []), "-o", o], outputs: [o] }
      : { args: ["plot", "curves", file(), ...(r.chance(0.3) ? ["--grad", r.pick(["s", "z", "nosuch"])] : []), ...(r.chance(0.3) ? ["--title", "t"] : []), "-o", o], outputs: [o] };
  }
  if (roll < 92) return { args: ["demo", ...Array.from({ length: r.int(4) }, () => `${r.pick(["x", "y", "z", "q", "__proto__"])}=${r.pick(["1", "-2.5", ".5", "1e308", "1e999", "abc", "", "0x10", "5."])}`)], outputs: [] };
  if (roll < 93) return r.chance(0.3) ? { args: ["examples"], outputs: [] } : { args: ["solve", "examples/seed004-q2-huber.yaml", "--format", r.pick(["md", "latex"])], outputs: [] };
  return { args: r.pick([["--help"], ["--version"], ["-V"], [], ["help", "solve"], ["frobnicate"], ["solve"], ["solve", "--nope", file()], ["check", file()], ["graph"], ["plot"], ["plot", "curves"], ["plot", "activations"], ["train"], ["solve", file(), "extra"], ["--", "solve"], ["solve", "-f"]]), outputs: [] };
}

/** Whether a written file is whole, by its kind. */
function complete(path: string): boolean {
  const buf = readFileSync(path);
  const text = buf.toString("utf8");
  if (path.endsWith(".png")) return buf.subarray(1, 4).toString() === "PNG" && buf.subarray(-8, -4).toString() === "IEND";
  if (path.endsWith(".svg")) return text.trimEnd().endsWith("</svg>");
  if (path.endsWith(".json")) { try { JSON.parse(text); return true; } catch { return false; } }
  if (path.endsWith(".dot")) return text.startsWith("digraph") && text.trimEnd().endsWith("}");
  return text.length > 0 && text !== "OLD CONTENT";
}

describe("CLI fuzz", () => {
  it(`${RUNS} seeded invocations: documented exit statuses, no stack traces, outputs complete or untouched`, async () => {
    const r = new Rng(20240808);
    const problems = writeProblems(join(tmp, "problems"), r, 80);
    const answers = writeAnswers(join(tmp, "answers"), r, 40);
    mkdirSync(join(tmp, "out", "a-dir"), { recursive: true });
    const statuses: Record<number, number> = {};
    const commands: Record<string, number> = {};
    const failures: string[] = [];
    const start = performance.now(), cpu = process.cpuUsage();
    for (let n = 0; n < RUNS; n++) {
      const c = fuzzCase(r, problems, answers);
      const before = new Map(c.outputs.map((o) => [o, existsSync(o) && !o.startsWith("/proc") && !o.endsWith("a-dir") ? readFileSync(o, "utf8") : null]));
      let out = "", err = "";
      const code = await main(c.args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false });
      statuses[code] = (statuses[code] ?? 0) + 1;
      commands[c.args[0] ?? "(none)"] = (commands[c.args[0] ?? "(none)"] ?? 0) + 1;
      const problem = code === 3 || ![0, 1, 2].includes(code) ? `exit ${code}: ${err.trim()}`
        : STACK_FRAME.test(err) || STACK_FRAME.test(out) ? "a stack trace"
        : code === 1 && !/^nabla: \S/.test(err) && !(c.args[0] === "check" && err === "" && out.includes("correct")) ? `status 1 without a "nabla: …" message: ${JSON.stringify(err.slice(0, 200))}`
        : c.outputs.map((o) => {
          const wrote = code === 0 && out.includes(`wrote ${o}`);
          if (wrote) return complete(o) ? null : `${o} is incomplete`;
          const old = before.get(o);
          if (old === null || old === undefined) return existsSync(o) && !o.endsWith("a-dir") && !o.startsWith("/proc") ? `${o} written without "wrote"` : null;
          return readFileSync(o, "utf8") === old ? null : `${o} changed although nothing was written`;
        }).find((x) => x !== null) ?? null;
      if (problem !== null) failures.push(`${JSON.stringify(c.args).slice(0, 300)} → ${problem.slice(0, 400)}`);
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6; // this process only: other load on the machine does not count
    const leftovers = [join(tmp, "out"), join(tmp, "out", "a-dir")].flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".tmp")));
    console.log(`CLI fuzz: ${RUNS} invocations in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU); exit statuses ${JSON.stringify(statuses)}; commands ${JSON.stringify(commands)}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(leftovers).toEqual([]);
    for (const s of [0, 1, 2]) expect(statuses[s] ?? 0, `status ${s}`).toBeGreaterThan(100);
    for (const cmd of ["solve", "check", "graph", "train", "plot", "demo", "examples"]) expect(commands[cmd] ?? 0, cmd).toBeGreaterThan(10);
    expect(cpuSeconds).toBeLessThan(60);
  });
});

/** The built binary, as a user runs it. */
function bin(args: string[]): { code: number | null; out: string; err: string } {
  const res = spawnSync(process.execPath, ["bin/nabla.js", ...args], { encoding: "utf8" });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe("CLI fuzz, real processes", () => {
  it("a handful of seeded invocations end the same way in a process as in-process", async () => {
    const r = new Rng(7);
    const problems = writeProblems(join(tmp, "proc-problems"), r, 6);
    const answers = writeAnswers(join(tmp, "proc-answers"), r, 3);
    mkdirSync(join(tmp, "out", "a-dir"), { recursive: true });
    for (let n = 0; n < 6; n++) {
      const c = fuzzCase(r, problems, answers);
      const p = bin(c.args);
      expect(p.err, JSON.stringify(c.args)).not.toMatch(STACK_FRAME);
      expect([0, 1, 2], `${JSON.stringify(c.args)}: ${p.err}`).toContain(p.code);
      let err = "";
      expect(await main(c.args, { out: () => undefined, err: (s) => { err += s; } }), JSON.stringify(c.args)).toBe(p.code);
      if (p.code === 1) expect(p.err).toBe(err);
    }
  });
  it.each([
    ["solve", "examples/seed000-caseA-cross-entropy.yaml", "--full"],
    ["examples"],
    ["check", "examples/seed001-classification-tanh-bce.yaml", "examples/answers/seed001-answer-key.yaml"],
    ["graph", "examples/seed003-sigmoid-network.yaml", "-f", "dot"],
  ])("%s … | a reader that closes the pipe: status 0, nothing on stderr", async (...args) => {
    const child = spawn(process.execPath, ["bin/nabla.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.once("data", () => child.stdout.destroy()); // like `| head -1`
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).toBe("");
    expect(code).toBe(args[0] === "check" ? 1 : 0); // check's answer key has wrong answers: status 1
  });
});
