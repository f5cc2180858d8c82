// The playground imports nabla only through its public browser entry ("nabla" → src/browser.ts),
// never the engine's modules directly: no second engine, no reach past the public API.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dir = join(import.meta.dirname, "..", "..", "web", "src");
const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
const ALLOWED = /^(nabla|vega-embed|@hpcc-js\/wasm-graphviz|\.\/.*|\.\.\/(?!\.\.\/).*|\.\.\/\.\.\/(examples\/.*\.yaml|models\/.*\.safetensors\?url))$/;

describe("the playground's imports", () => {
  it("are nabla's browser entry, two drawing packages, its own files and bundled data only", () => {
    expect(files.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/(?:import|from)\s*\(?\s*["']([^"']+)["']|import\.meta\.glob<string>\(\s*["']([^"']+)["']/g)) {
        const spec = m[1] ?? m[2] ?? "";
        if (!ALLOWED.test(spec)) bad.push(`${f}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it("the alias points at the browser entry", () => {
    expect(readFileSync(join(dir, "..", "vite.config.ts"), "utf8")).toContain('nabla: here("../src/browser.ts")');
    expect(readFileSync(join(dir, "..", "tsconfig.json"), "utf8")).toContain('"nabla": ["../src/browser.ts"]');
  });
});
