// Checking answers given as text (no files): the browser playground and checkFile share it.
import { parseAnswers } from "./answers.js";
import { type CheckReport, checkAnswers } from "./check.js";
import { checkUpdateAnswers, updateProblem } from "./check-update.js";
import { compile } from "./compile.js";
import { locator, parseProblem } from "./load.js";

/** Checks answers text against problem text; `problemFile`/`answersFile` name them in errors. */
export function checkTexts(problemText: string, answersText: string, problemFile = "<problem>", answersFile = "<answers>"): CheckReport {
  const derivation = updateProblem(problemText, problemFile);
  if (derivation !== null) return checkUpdateAnswers(derivation, parseAnswers(answersText, answersFile));
  const c = compile(parseProblem(problemText, problemFile), problemFile, locator(problemText));
  return checkAnswers(c, parseAnswers(answersText, answersFile), (p) => compile(p, problemFile));
}
