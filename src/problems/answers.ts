// Reading a student's answers: quantity → number, vector/matrix, or a formula; keeps the digits
// as written so tolerances respect the precision the student gave.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { ProblemError } from "./load.js";

/** One number as written: its value and the place value of its last digit. */
export interface Written {
  readonly value: number;
  /** 10^(position of the last written digit), e.g. 1e-4 for "0.1234". */
  readonly ulp: number;
}

export type Answer =
  | { readonly kind: "number"; readonly key: string; readonly values: readonly Written[]; readonly shape: readonly number[]; readonly line: number }
  | { readonly kind: "formula"; readonly key: string; readonly formula: string; readonly line: number };

/** Place value of the last digit of a numeric literal. */
export function ulpOf(raw: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw.trim());
  if (m === null) return 0;
  const decimals = (m[2] ?? "").length;
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  return 10 ** (exp - decimals);
}

/** Parses an answers file. */
export function parseAnswers(text: string, file: string): Answer[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const err = doc.errors[0];
  if (err !== undefined) {
    const pos = lc.linePos(err.pos[0]);
    throw new ProblemError(err.message.split("\n")[0] ?? "YAML error", file, [], pos.line, pos.col);
  }
  if (!isMap(doc.contents)) throw new ProblemError("answers must be a mapping: quantity name → number, list or formula", file, [], 1, 1);
  const out: Answer[] = [];
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const line = lc.linePos(keyNode?.range?.[0] ?? 0).line;
    const col = lc.linePos(keyNode?.range?.[0] ?? 0).col;
    const v = pair.value as YamlNode | null;
    const fail = (msg: string): never => { throw new ProblemError(msg, file, [key], line, col); };
    if (isScalar(v) && typeof v.value === "string") {
      out.push({ kind: "formula", key, formula: v.value, line });
      continue;
    }
    const values: Written[] = [];
    const walk = (n: YamlNode | null, depth: number): number[] => {
      if (isScalar(n) && typeof n.value === "number") {
        const raw = text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0);
        values.push({ value: n.value, ulp: ulpOf(raw) });
        return [];
      }
      if (isSeq(n) && depth < 3) {
        const shapes = n.items.map((it) => walk(it as YamlNode, depth + 1));
        const s0 = shapes[0] ?? [];
        if (shapes.some((s) => s.join(",") !== s0.join(","))) fail("rows of a matrix answer must have equal lengths");
        return [n.items.length, ...s0];
      }
      return fail("expected a number, a list of numbers, a list of lists, or a formula in quotes");
    };
    const shape = walk(v, 0);
    out.push({ kind: "number", key, values, shape, line });
  }
  return out;
}
