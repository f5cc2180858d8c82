// Grades a submission's results against a case file: per case and per field (the output and each
// gradient), the first wrong element with its index and both values, and a total score.
import { ValueError } from "../tensor/errors.js";
import type { CaseFile, JsonArray } from "./cases.js";

/** One graded field of one case. */
export interface FieldGrade {
  readonly id: number;
  readonly field: string;
  readonly ok: boolean;
  /** Why it is wrong: missing, a shape mismatch, or the first wrong element. */
  readonly message?: string;
}

/** The grade of a submission. */
export interface Grade {
  readonly layer: string;
  readonly fields: readonly FieldGrade[];
  readonly passed: number;
  readonly total: number;
  readonly score: number;
}

type Nested = number | readonly Nested[];

// A result array: {shape, data} or a nested list (numpy's tolist()).
function toArray(v: unknown, where: string): JsonArray {
  if (typeof v === "object" && v !== null && "shape" in v && "data" in v) {
    const { shape, data } = v as { shape: unknown; data: unknown };
    if (Array.isArray(shape) && Array.isArray(data) && data.every((x) => typeof x === "number")) return { shape: shape as number[], data: data as number[] };
  }
  const shape: number[] = [];
  for (let x: unknown = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  const data: number[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === "number") data.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else throw new ValueError(`${where} must hold numbers, got ${JSON.stringify(x)?.slice(0, 40)}.`, { op: "grade" });
  };
  walk(v as Nested);
  return { shape, data };
}

const index = (i: number, shape: readonly number[]): string => {
  const idx: number[] = [];
  let r = i;
  for (let d = shape.length - 1; d >= 0; d--) { const n = shape[d] ?? 1; idx.unshift(r % n); r = Math.floor(r / n); }
  return `[${idx.join(",")}]`;
};

function compare(want: JsonArray, got: JsonArray): string | undefined {
  const size = want.data.length;
  const shapeOk = got.data.length === size && (got.shape.length === want.shape.length ? got.shape.every((d, i) => d === want.shape[i]) : got.data.length === size);
  if (!shapeOk) return `shape [${got.shape.join(",")}] where [${want.shape.join(",")}] is expected`;
  for (let i = 0; i < size; i++) {
    const w = want.data[i] as number, g = got.data[i] as number;
    if (!(Math.abs(g - w) <= 1e-9 + 1e-6 * Math.abs(w))) return `element ${index(i, want.shape)} is ${g}, expected ${w}`;
  }
  return undefined;
}

/** Grades `results` (parsed JSON) against the cases. */
export function grade(cases: CaseFile, results: unknown): Grade {
  const list = typeof results === "object" && results !== null && "cases" in results && Array.isArray(results.cases) ? (results.cases as unknown[]) : null;
  if (list === null) throw new ValueError('results must be an object with a "cases" list of {id, output, grads}.', { op: "grade" });
  const byId = new Map<number, Record<string, unknown>>();
  for (const r of list) if (typeof r === "object" && r !== null && "id" in r && typeof r.id === "number") byId.set(r.id, r as Record<string, unknown>);
  const fields: FieldGrade[] = [];
  for (const c of cases.cases) {
    const r = byId.get(c.id);
    const expected: [string, JsonArray][] = [["output", c.expected.output], ...Object.entries(c.expected.grads).map(([k, v]): [string, JsonArray] => [`grad ${k}`, v])];
    for (const [field, want] of expected) {
      const raw = field === "output" ? r?.output : (r?.grads as Record<string, unknown> | undefined)?.[field.slice(5)];
      if (raw === undefined || raw === null) { fields.push({ id: c.id, field, ok: false, message: "missing" }); continue; }
      let message: string | undefined;
      try {
        message = compare(want, toArray(raw, `case ${c.id} ${field}`));
      } catch (e) {
        message = e instanceof Error ? e.message : String(e);
      }
      fields.push(message === undefined ? { id: c.id, field, ok: true } : { id: c.id, field, ok: false, message });
    }
  }
  const passed = fields.filter((f) => f.ok).length;
  return { layer: cases.layer, fields, passed, total: fields.length, score: fields.length === 0 ? 0 : passed / fields.length };
}

/** The grade as text: the failures, then the total. */
export function gradeReport(g: Grade): string {
  const bad = g.fields.filter((f) => !f.ok);
  const lines = bad.slice(0, 20).map((f) => `  ✗ ${g.layer} case ${f.id}, ${f.field}: ${f.message ?? "wrong"}`);
  if (bad.length > 20) lines.push(`  … and ${bad.length - 20} more`);
  lines.push(`${g.layer}: ${g.passed}/${g.total} checks passed (${(100 * g.score).toFixed(1)}%)`);
  return `${lines.join("\n")}\n`;
}
