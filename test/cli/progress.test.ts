// Long runs show a progress bar on a terminal (stderr), and nothing when output is not a TTY.
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

describe("progress bar", () => {
  it("appears for a 500-iteration training on a TTY and ends at 500/500", async () => {
    let err = "";
    const code = await main(["train", "examples/seed000-caseA-cross-entropy.yaml"], { out: () => undefined, err: (s) => { err += s; }, isTTY: true });
    expect(code).toBe(0);
    expect(err).toMatch(/\r\[#+\] 500\/500 {2}loss /);
    let quiet = "";
    await main(["train", "examples/seed000-caseA-cross-entropy.yaml"], { out: () => undefined, err: (s) => { quiet += s; }, isTTY: false });
    expect(quiet).toBe("");
  });
});
