// Loading and solving problem files from disk (Node).
import { readFileSync } from "node:fs";
import { NablaError } from "../tensor/errors.js";
import { type Compiled, compile } from "./compile.js";
import { locator, parseProblem } from "./load.js";
import { type SolveOptions, solve } from "./solve.js";
import type { Solution } from "../solution/solution.js";
import { parseAnswers } from "./answers.js";
import { type CheckReport, checkAnswers } from "./check.js";

/** Reads, validates and compiles a problem file. */
export function loadProblem(path: string): Compiled {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new NablaError(`cannot read ${path}: ${(e as Error).message}`, { op: "load" });
  }
  return compile(parseProblem(text, path), path, locator(text));
}

/** Loads and solves a problem file. */
export function solveFile(path: string, o: SolveOptions = {}): Solution {
  return solve(loadProblem(path), o);
}

/** Reads an answers file and checks it against a problem file. */
export function checkFile(problemPath: string, answersPath: string): CheckReport {
  const c = loadProblem(problemPath);
  let text: string;
  try {
    text = readFileSync(answersPath, "utf8");
  } catch (e) {
    throw new NablaError(`cannot read ${answersPath}: ${(e as Error).message}`, { op: "check" });
  }
  return checkAnswers(c, parseAnswers(text, answersPath), (p) => compile(p, problemPath));
}
