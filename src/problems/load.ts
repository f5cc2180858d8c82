// Reading problem files (YAML or JSON): every error names the file, the field path and the line.
import { type Document, isMap, LineCounter, parseDocument, visit, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { NablaError } from "../tensor/errors.js";
import { originalLine, type SplitData, splitData } from "./fast-data.js";
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

/** Offset in the parsed text → line and column in the file (the data lines the fast path took out put back). */
type Position = (offset: number) => { line: number; col: number };

function positions(lc: LineCounter, split: SplitData | null): Position {
  return (offset) => {
    const p = lc.linePos(offset);
    return { line: originalLine(split, p.line), col: p.col };
  };
}

/**
 * A locator for problem text. It parses only when first asked (errors are rare), and outside
 * `data` it reads the text without a long data section (fast-data.ts), lines mapped back.
 */
export function locator(text: string): Locator {
  const parsed = new Map<boolean, { pos: Position; doc: Document }>();
  const parse = (withData: boolean): { pos: Position; doc: Document } => {
    const split = withData ? null : splitData(text);
    const lc = new LineCounter();
    return { pos: positions(lc, split), doc: parseDocument(split?.rest ?? text, { lineCounter: lc }) };
  };
  return (path) => {
    const withData = path[0] === "data";
    let entry = parsed.get(withData);
    if (entry === undefined) {
      entry = parse(withData);
      parsed.set(withData, entry);
    }
    const { pos, doc } = entry;
    for (let k = path.length; k >= 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as YamlNode | undefined;
      if (node?.range !== undefined && node.range !== null) {
        const at = pos(node.range[0]);
        const block = "type" in node && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
        return { line: at.line, col: at.col, block };
      }
    }
    return { line: 1, col: 1, block: false };
  };
}

/**
 * Parses and validates problem text; `file` names it in errors. A long data section of one-line
 * rows is read by a fast scanner (fast-data.ts) and the rest by the YAML parser, with the same
 * line numbers; the rows are validated by the scanner, and the first stands for all in the schema.
 */
export function parseProblem(text: string, file = "<problem>"): Problem {
  const split = splitData(text);
  return parseFully(text, file, split);
}

// The text parsed as YAML (without the data lines of `split`, when given) and validated.
function parseFully(original: string, file: string, split: SplitData | null): Problem {
  const lc = new LineCounter();
  const pos = positions(lc, split);
  const doc = parseDocument(split?.rest ?? original, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = pos(first.pos[0]);
    throw new ProblemError(`${first.message.split("\n")[0]}`, file, [], at.line, at.col);
  }
  const data = toData(doc, file, pos);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ProblemError("a problem file must be a mapping of fields (title, model, loss, …)", file, [], 1, 1);
  }
  // YAML found more data than the scanner took (an odd layout): read the whole file as YAML.
  if (split !== null && (!("data" in data) || data.data !== null)) return parseFully(original, file, null);
  const rows = split?.rows;
  const locate = (p: readonly (string | number)[], key?: string): { line: number; col: number } => {
    let node: unknown = doc.getIn(p, true);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      node = pair?.key ?? node;
    }
    for (let k = p.length; (node === undefined || node === null) && k > 0; k--) node = doc.getIn(p.slice(0, k - 1), true);
    const range = (node as YamlNode | undefined)?.range;
    return pos(range?.[0] ?? 0);
  };
  const fields: object = rows === undefined ? data : { ...data, data: rows.slice(0, 1) };
  const flaw = findFlaw(fields);
  if (flaw !== undefined) {
    const at = locate(flaw.path, flaw.key);
    throw new ProblemError(flaw.message, file, flaw.path, at.line, at.col);
  }
  const parsed = Problem.safeParse(fields);
  if (parsed.success) return rows === undefined ? parsed.data : { ...parsed.data, data: rows };
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
    const got = valueAt(fields, path);
    const hint = typeof got === "string" ? suggest(got, issue.values.map(String)) : undefined;
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(got)}${hint !== undefined ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
  } else if (issue.code === "invalid_type") {
    const got = valueAt(fields, path);
    message = got === undefined ? `missing required field (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(got)}`;
  } else if (issue.code === "invalid_union") {
    const got = valueAt(fields, path);
    message = `${path.includes("layers") ? "expected a layer (relu, sigmoid, tanh, … or {linear: {in, out}}, {leaky-relu: {slope}}, {scale: n})" : "expected a number, a vector or a matrix (or an {init: …} for a parameter)"}, got ${describe(got)}`;
  }
  throw new ProblemError(message, file, path, at.line, at.col);
}

// The parsed document as plain data. yaml stops an alias bomb (aliases that expand exponentially)
// with a ReferenceError; it is reported at the first alias.
function toData(doc: Document, file: string, pos: Position): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    let offset = 0;
    visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
    const at = pos(offset);
    const bomb = /alias count/i.test(e.message);
    throw new ProblemError(bomb ? "too many alias expansions (over 100): the aliases expand to a huge document; write the values out" : `cannot read the YAML: ${e.message}`, file, [], at.line, at.col);
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
