// The CLI end to end on the bundled examples: every format, errors and exit statuses;
// LaTeX output rendered by KaTeX to prove it is KaTeX-compatible.
import katex from "katex";
import { describe, expect, it } from "vitest";
import { exampleFiles } from "../../src/cli/examples.js";
import { main } from "../../src/cli/main.js";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe("nabla solve / examples (CLI)", () => {
  it("lists every example with its title", async () => {
    const r = await run(["examples"]);
    expect(r.code).toBe(0);
    for (const f of exampleFiles()) expect(r.out).toContain(f.split("/").pop());
    expect(r.out).toMatch(/seed003-sigmoid-network\.yaml\s+Seed 003/);
  });
  it.each(exampleFiles().map((f) => [f.split("/").pop(), f]))("%s: LaTeX math renders in KaTeX", async (_n, f) => {
    const r = await run(["solve", f as string, "--format", "latex"]);
    expect(r.code).toBe(0);
    const blocks = [...r.out.matchAll(/\$\$\n([\s\S]*?)\n\$\$/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(2);
    for (const b of blocks) expect(() => katex.renderToString(b, { displayMode: true, throwOnError: true, strict: "error" })).not.toThrow();
  });
  it("honours --digits and summarises long runs unless --full", async () => {
    const r = await run(["solve", "examples/seed000-caseA-cross-entropy.yaml", "--digits", "3"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/iterations 4 to 499 are summarised/);
    expect(r.out).toMatch(/Training summary/);
    const full = await run(["solve", "examples/seed000-caseA-cross-entropy.yaml", "--full"]);
    expect(full.out).toMatch(/== Iteration 250 ==/);
  });
  it("fails with status 1 and a located message on a bad file, status 2 on bad arguments", async () => {
    const missing = await run(["solve", "no-such-file.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("nabla: load: file not found: no-such-file.yaml\n");
    const bad = await run(["solve", "examples/seed003-sigmoid-network.yaml", "--format", "pdf"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Allowed choices are text, md, latex, json/);
  });
});
