// Reading problem files (YAML or JSON): every error names the file, the field path and the line.
import { type Document, isMap, LineCounter, parseDocument, visit, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { NablaError } from "../tensor/errors.js";
import { findFlaw } from "./sanitize.js";
import { Problem } from "./schema.js";

/** A problem file that does not parse or does not fit the format. */
export class ProblemError extends NablaError {
  constructor(
    message: string,
    readonly file: string,
    readonly path: readonly (string | number)[],
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column}: ${path.length > 0 ? `${path.join(".")}: ` : ""}${message}`);
  }
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[], prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest of `options` to `word`, if any is close. */
export function suggest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const o of options) {
    const dd = distance(word.toLowerCase(), o.toLowerCase());
    if (dd < bestD) { bestD = dd; best = o; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Maps a field path of a problem text to its line and column (for errors found after parsing). */
export type Locator = (path: readonly (string | number)[]) => { line: number; col: number; block: boolean };

/** A locator for problem text. */
export function locator(text: string): Locator {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  return (path) => {
    for (let k = path.length; k >= 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as YamlNode | undefined;
      if (node?.range !== undefined && node.range !== null) {
        const pos = lc.linePos(node.range[0]);
        const block = "type" in node && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
        return { line: pos.line, col: pos.col, block };
      }
    }
    return { line: 1, col: 1, block: false };
  };
}

/** Parses and validates problem text; `file` names it in errors. */
export function parseProblem(text: string, file = "<problem>"): Problem {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = lc.linePos(first.pos[0]);
    throw new ProblemError(`${first.message.split("\n")[0]}`, file, [], pos.line, pos.col);
  }
  const data = toData(doc, file, lc);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ProblemError("a problem file must be a mapping of fields (title, model, loss, …)", file, [], 1, 1);
  }
  const locate = (p: readonly (string | number)[], key?: string): { line: number; col: number } => {
    let node: unknown = doc.getIn(p, true);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      node = pair?.key ?? node;
    }
    for (let k = p.length; (node === undefined || node === null) && k > 0; k--) node = doc.getIn(p.slice(0, k - 1), true);
    const range = (node as YamlNode | undefined)?.range;
    return lc.linePos(range?.[0] ?? 0);
  };
  const flaw = findFlaw(data);
  if (flaw !== undefined) {
    const at = locate(flaw.path, flaw.key);
    throw new ProblemError(flaw.message, file, flaw.path, at.line, at.col);
  }
  const parsed = Problem.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  let message = issue.message;
  let at = locate(path);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] as string;
    const allowed = objectKeysAt(path);
    const hint = suggest(key, allowed);
    message = `unknown field '${key}'${hint !== undefined ? ` (did you mean '${hint}'?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : ""}`;
    at = locate(path, key);
  } else if (issue.code === "invalid_value" && "values" in issue) {
    const got = valueAt(data, path);
    const hint = typeof got === "string" ? suggest(got, issue.values.map(String)) : undefined;
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(got)}${hint !== undefined ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
  } else if (issue.code === "invalid_type") {
    const got = valueAt(data, path);
    message = got === undefined ? `missing required field (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(got)}`;
  } else if (issue.code === "invalid_union") {
    const got = valueAt(data, path);
    message = `${path.includes("layers") ? "expected a layer (relu, sigmoid, tanh, … or {linear: {in, out}}, {leaky-relu: {slope}}, {scale: n})" : "expected a number, a vector or a matrix (or an {init: …} for a parameter)"}, got ${describe(got)}`;
  }
  throw new ProblemError(message, file, path, at.line, at.col);
}

// The parsed document as plain data. yaml stops an alias bomb (aliases that expand exponentially)
// with a ReferenceError; it is reported at the first alias.
function toData(doc: Document, file: string, lc: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    let offset = 0;
    visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
    const pos = lc.linePos(offset);
    const bomb = /alias count/i.test(e.message);
    throw new ProblemError(bomb ? "too many alias expansions (over 100): the aliases expand to a huge document; write the values out" : `cannot read the YAML: ${e.message}`, file, [], pos.line, pos.col);
  }
}

// The value at a field path of parsed data (own properties only: a user's key is never a built-in).
function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list (${JSON.stringify(v).slice(0, 40)})`;
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

// Field names allowed at a path of the Problem schema (for suggestions on unknown keys).
const KEYS = new Map<string, readonly string[]>(Object.entries({
  "": ["title", "description", "source", "notes", "model", "inputs", "parameters", "data", "wrt", "loss", "optimizer", "training", "report", "conventions"],
  model: ["formulas", "layers", "input", "output"],
  loss: ["kind", "name", "prediction", "target", "half", "reduction", "delta", "from", "formula"],
  optimizer: ["kind", "lr", "momentum", "nesterov", "weightDecay", "betas", "eps", "alpha"],
  training: ["iterations", "mode"],
  report: ["digits", "rounding", "layout", "fullIterations", "quantities"],
  conventions: ["layout"],
  linear: ["in", "out", "weight", "bias", "init", "seed"],
  init: ["init", "shape", "seed", "value", "low", "high", "mean", "std"],
}));

function objectKeysAt(path: readonly (string | number)[]): readonly string[] {
  const last = path.filter((p): p is string => typeof p === "string").at(-1) ?? "";
  if (path[0] === "parameters" && path.length === 2) return KEYS.get("init") ?? [];
  return KEYS.get(last) ?? [];
}
