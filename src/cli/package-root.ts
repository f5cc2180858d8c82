// Finds nabla's own directory (for the bundled examples), from source or from dist/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NablaError } from "../tensor/errors.js";

/** The directory holding nabla's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "nabla") return dir;
    dir = dirname(dir);
  }
  throw new NablaError("cannot find nabla's package directory (no package.json named nabla above this file).", { op: "examples" });
}
