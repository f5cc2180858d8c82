// `nabla check` on a derivation problem (seed 001 1.3): a file naming an update rule and a model
// (`update: "w += eta*(y - yhat)*x"`, `model: "yhat = b + w'@x"`), and answers giving the loss each
// algorithm descends as a formula in z (the pre-activation), y and yhat. Each is judged by
// differentiating it back along z (symbolic/from-update.ts): right up to a constant, the wrong sign,
// or not the loss of that update.
import { parse } from "yaml";
import { judgeLoss } from "../symbolic/from-update.js";
import type { Answer } from "./answers.js";
import type { CheckReport, Status, Verdict } from "./check.js";
import { ProblemError } from "./load.js";

/** The update and the model of a derivation problem, or null when the text is another kind of problem. */
export function updateProblem(text: string, file: string): { update: string; model: string } | null {
  let doc: unknown;
  try {
    doc = parse(text) as unknown;
  } catch {
    return null; // reported by the problem loader
  }
  if (typeof doc !== "object" || doc === null || !("update" in doc)) return null;
  const { update, model } = doc as { update: unknown; model: unknown };
  if (typeof update !== "string" || typeof model !== "string") throw new ProblemError("a derivation problem needs `update` and `model` as strings, e.g. update: \"w += eta*(y - yhat)*x\", model: \"yhat = b + w'@x\"", file, ["update"], 1, 1);
  return { update, model };
}

/** Judges each answer (a formula for the loss) against the update rule. */
export function checkUpdateAnswers(p: { update: string; model: string }, answers: readonly Answer[]): CheckReport {
  const verdicts: Verdict[] = answers.map((a) => {
    if (a.kind !== "formula") return { quantity: a.key, status: "unknown", given: a.values.map((v) => v.value).join(", "), expected: null, got: null, cause: "a derivation problem's answers are formulas for the loss, in quotes", line: a.line };
    const v = judgeLoss(a.formula, p.update, p.model);
    return { quantity: a.key, status: v.ok ? "correct" : "wrong", given: a.formula, expected: null, got: null, ...(v.ok ? {} : { cause: v.cause }), line: a.line };
  });
  const counts: Record<Status, number> = { correct: 0, "rounding-only": 0, wrong: 0, unknown: 0 };
  for (const v of verdicts) counts[v.status]++;
  return { verdicts, firstWrong: verdicts.find((v) => v.status === "wrong")?.quantity ?? null, counts };
}
