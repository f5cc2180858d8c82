// The package root exports the public API (resolved through package.json "exports" to dist/), and
// the published tarball carries what the `nabla` command needs at run time (the bundled examples).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exampleFiles } from "../src/cli/examples.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-pack-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("package root", () => {
  it("exports tensor, grad, gradcheck, noGrad, losses and the Tensor methods", async () => {
    const nabla = await import("nabla");
    for (const name of ["tensor", "grad", "valueAndGrad", "gradcheck", "gradgradcheck", "noGrad", "mseLoss", "crossEntropy", "bceWithLogitsLoss", "huberLoss", "gelu", "randn", "Tensor", "NablaError"]) {
      expect(nabla[name as keyof typeof nabla], name).toBeDefined();
    }
    const x = nabla.tensor([1, 2], { requiresGrad: true });
    nabla.mseLoss(x, nabla.tensor([0, 0])).backward(); // mean((x − 0)²): ∂/∂x = x
    expect(Array.from(x.grad!.data)).toEqual([1, 2]);
  });
});

describe("npm package", () => {
  it("the tarball holds every bundled example, the binary, the CLI and the CommonJS entry", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    const examples = exampleFiles().map((f) => relative(process.cwd(), f));
    expect(examples).toContain("examples/seed003-sigmoid-network.yaml");
    for (const f of [...examples, "bin/nabla.js", "cjs/nabla.cjs", "dist/src/cli/main.js", "dist/src/cli/package-root.js", "package.json"]) expect(files, f).toContain(f);
  });
  it("installed from the tarball, the CLI finds its examples next to its package.json", () => {
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", tmp], { stdio: "ignore" });
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"))!;
    execFileSync("tar", ["-xzf", join(tmp, tgz), "-C", tmp]);
    const pkg = join(tmp, "package");
    // package-root.js needs no dependency, so it runs from the unpacked tarball as installed
    const root = execFileSync("node", ["--input-type=module", "-e", `import { packageRoot } from ${JSON.stringify(join(pkg, "dist/src/cli/package-root.js"))}; process.stdout.write(packageRoot());`], { encoding: "utf8" });
    expect(root).toBe(pkg);
    expect(existsSync(join(root, "examples", "seed003-sigmoid-network.yaml"))).toBe(true);
  });
});
