import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

describe("nabla CLI", () => {
  it("demo prints w = 60 and the partials 104, 22, 22 at x=1, y=2, z=3", async () => {
    const lines: string[] = [];
    expect(await main(["demo"], { out: (s) => lines.push(s), err: () => undefined })).toBe(0);
    const text = lines.join("\n");
    expect(text).toMatch(/w = a·b \+ b\s+= 60/);
    expect(text).toMatch(/∂w\/∂x = .*= 104/);
    expect(text).toMatch(/∂w\/∂y = .*= 22/);
    expect(text).toMatch(/∂w\/∂z = .*= 22/);
  });
  it("unknown commands exit with status 2", async () => {
    expect(await main(["frobnicate"], { out: () => undefined, err: () => undefined })).toBe(2);
  });
  it("the built binary runs the demo", () => {
    const out = execFileSync("node", ["bin/nabla.js", "demo", "x=2", "y=-1", "z=0.5"], { encoding: "utf8" });
    // a = 2·(−1) + 0.5 = −1.5; b = a·4 = −6; w = ab + b = 9 − 6 = 3
    expect(out).toMatch(/w = a·b \+ b\s+= 3\n/);
  });
});
