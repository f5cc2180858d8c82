// Loading and solving problem files from disk (Node).
import { readFileSync } from "node:fs";
import { NablaError } from "../tensor/errors.js";
import { type Compiled, compile } from "./compile.js";
import { locator, parseProblem } from "./load.js";
import { type SolveOptions, solve } from "./solve.js";
import type { Solution } from "../solution/solution.js";
import type { CheckReport } from "./check.js";
import { checkTexts } from "./check-text.js";

/** Why a file could not be read, in words (Node's errno codes). */
export function readFailure(path: string, e: unknown): string {
  const code = e instanceof Error && "code" in e ? e.code : undefined;
  switch (code) {
    case "ENOENT": return `file not found: ${path}`;
    case "EACCES": case "EPERM": return `permission denied: ${path}`;
    case "EISDIR": return `${path} is a directory, not a file`;
    default: return `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** A text file's contents; a NablaError naming the path when it cannot be read. */
export function readText(path: string, op: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new NablaError(readFailure(path, e), { op });
  }
}

/** Reads, validates and compiles a problem file. */
export function loadProblem(path: string): Compiled {
  const text = readText(path, "load");
  return compile(parseProblem(text, path), path, locator(text));
}

/** Loads and solves a problem file. */
export function solveFile(path: string, o: SolveOptions = {}): Solution {
  return solve(loadProblem(path), o);
}

/** Reads an answers file and checks it against a problem file. */
export function checkFile(problemPath: string, answersPath: string): CheckReport {
  return checkTexts(readText(problemPath, "load"), readText(answersPath, "check"), problemPath, answersPath);
}
