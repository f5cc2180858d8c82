// `nabla cases` and `nabla grade`: seeded test cases for from-scratch layers, and their grader.
import { readFileSync } from "node:fs";
import { CASE_LAYERS, type CaseFile, type CaseLayer, makeCases } from "../problems/cases.js";
import { grade, gradeReport } from "../problems/grade.js";
import { readFailure } from "../problems/index.js";
import { ValueError } from "../tensor/errors.js";

/** The case file as JSON text. */
export function casesCommand(layer: string, n: number, seed: number): string {
  if (!(CASE_LAYERS as readonly string[]).includes(layer)) throw new ValueError(`unknown layer ${JSON.stringify(layer)}: choose one of ${CASE_LAYERS.join(", ")}.`, { op: "cases" });
  return `${JSON.stringify(makeCases(layer as CaseLayer, n, seed))}\n`;
}

function readJson(path: string, op: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValueError(readFailure(path, e), { op });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValueError(`${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { op });
  }
}

/** The grade report and the exit status (0 only when every check passes). */
export function gradeCommand(casesPath: string, resultsPath: string): [string, number] {
  const cases = readJson(casesPath, "grade");
  if (typeof cases !== "object" || cases === null || !("format" in cases) || cases.format !== "nabla-cases/1") throw new ValueError(`${casesPath} is not a nabla case file (format nabla-cases/1).`, { op: "grade" });
  const g = grade(cases as CaseFile, readJson(resultsPath, "grade"));
  return [gradeReport(g), g.passed === g.total ? 0 : 1];
}
