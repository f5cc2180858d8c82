// `nabla examples`: the bundled problem files, one per computable seed task.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadProblem } from "../problems/index.js";
import { NablaError } from "../tensor/errors.js";
import { packageRoot } from "./package-root.js";

/** Paths of the bundled examples, sorted. */
export function exampleFiles(): string[] {
  const dir = join(packageRoot(), "examples");
  if (!existsSync(dir)) throw new NablaError(`the bundled examples are missing, got no directory ${dir}.`, { op: "examples", hint: "Reinstall nabla (package.json \"files\" must list examples)." });
  return readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
}

/** One line per example: its path (relative to the package) and title. */
export function listExamples(): string {
  const root = packageRoot();
  return exampleFiles().map((f) => `${f.slice(root.length + 1).padEnd(48)} ${loadProblem(f).problem.title}`).join("\n");
}
