// `nabla check FILE ANSWERS`: each answer correct, rounding-only or wrong; the first wrong one named.
import type { CheckReport } from "../problems/check.js";
import { checkFile } from "../problems/index.js";

const MARK = { correct: "✓ correct      ", "rounding-only": "≈ rounding-only", wrong: "✗ wrong        ", unknown: "? unknown      " } as const;

const show = (v: number | number[] | null): string => (v === null ? "—" : Array.isArray(v) ? `[${v.map((x) => Number(x.toPrecision(6))).join(", ")}]` : String(Number(v.toPrecision(6))));

/** Text report. */
export function reportText(problem: string, answers: string, r: CheckReport): string {
  const lines = [`Checking ${answers} against ${problem}`, ""];
  for (const v of r.verdicts) {
    lines.push(`  ${MARK[v.status]}  ${v.quantity} = ${v.given}`);
    if (v.status === "wrong" || v.status === "rounding-only") lines.push(`                     expected ${show(v.expected)}${v.got !== null && v.status === "wrong" ? `, got ${show(v.got)}` : ""}`);
    if (v.cause !== undefined) lines.push(`                     likely cause: ${v.cause}`);
  }
  lines.push("");
  if (r.firstWrong !== null) lines.push(`First wrong value (in the order the solution computes them): ${r.firstWrong}`);
  lines.push(`${r.counts.correct} correct, ${r.counts["rounding-only"]} rounding-only, ${r.counts.wrong} wrong${r.counts.unknown > 0 ? `, ${r.counts.unknown} unknown` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** Runs the check; returns [output, exit status]. */
export function checkCommand(problem: string, answers: string, format: "text" | "json"): [string, number] {
  const r = checkFile(problem, answers);
  const ok = r.counts.wrong === 0 && r.counts.unknown === 0;
  const out = format === "json" ? `${JSON.stringify({ problem, answers, ...r, ok }, null, 2)}\n` : reportText(problem, answers, r);
  return [out, ok ? 0 : 1];
}
