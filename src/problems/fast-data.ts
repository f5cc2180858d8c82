// A fast path for long `data:` sections. A YAML parser builds a syntax tree of every node, which
// for a million samples costs minutes and gigabytes; most data files, though, are one flow mapping
// of plain numbers per line (`  - {x: [0.5, 1], y: 2}`). Those lines are read here by a strict
// scanner, and the rest of the file by the YAML parser as usual. Anything the scanner does not
// fully understand (quotes, anchors, tags, .nan, hex, block mappings, tabs…) sends the whole file
// down the ordinary path, so the fast path never changes what a file means.
import { isReservedName } from "../expr/ast.js";
import type { Value } from "./schema.js";

/** The file without its data lines, the rows they held, and how to map lines back. */
export interface SplitData {
  readonly rest: string;
  readonly rows: Record<string, Value>[];
  /** The line of `data:` (1-based); the removed lines followed it. */
  readonly line: number;
  /** How many lines were removed. */
  readonly removed: number;
}

/** The original line of a line of `rest`. */
export function originalLine(split: SplitData | null, line: number): number {
  return split !== null && line > split.line ? line + split.removed : line;
}

// YAML 1.2 core-schema decimal numbers (ints and floats); no .inf/.nan, hex or octal.
const NUMBER = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// Plain keys YAML reads as something other than a string.
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** Rows worth the fast path: below this, the YAML parser is quick enough. */
const MIN_ROWS = 1000;

const SPACE = 32, NL = 10, CR = 13, HASH = 35, COMMA = 44, COLON = 58, OPEN = 91, CLOSE = 93, LBRACE = 123, RBRACE = 125, DASH = 45;
const isKeyStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isKeyChar = (c: number): boolean => isKeyStart(c) || (c >= 48 && c <= 57);
const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 69 || c === 101;

/** A cursor over the whole text; every method returns null on anything outside the subset. */
class Scanner {
  i: number;
  constructor(private readonly s: string, start: number) {
    this.i = start;
  }
  private at(): number {
    return this.s.charCodeAt(this.i);
  }
  ws(): void {
    while (this.at() === SPACE) this.i++;
  }
  eat(c: number): boolean {
    this.ws();
    if (this.at() !== c) return false;
    this.i++;
    return true;
  }
  number(): number | null {
    this.ws();
    const start = this.i;
    while (isNumberChar(this.at())) this.i++;
    const t = this.s.slice(start, this.i);
    const v = NUMBER.test(t) ? Number(t) : NaN;
    return Number.isFinite(v) ? v : null; // 1e999 goes the ordinary way, to its located error
  }
  /** `[n, n, …]`, non-empty. */
  list(): number[] | null {
    if (!this.eat(OPEN)) return null;
    const items: number[] = [];
    do {
      const v = this.number();
      if (v === null) return null;
      items.push(v);
    } while (this.eat(COMMA));
    return this.eat(CLOSE) ? items : null;
  }
  /** A number, a non-empty list of numbers, or a non-empty list of such lists. */
  value(): Value | null {
    this.ws();
    if (this.at() !== OPEN) return this.number();
    const save = this.i++;
    this.ws();
    if (this.at() !== OPEN) {
      this.i = save;
      return this.list();
    }
    const rows: number[][] = [];
    do {
      const r = this.list();
      if (r === null) return null;
      rows.push(r);
    } while (this.eat(COMMA));
    return this.eat(CLOSE) ? rows : null;
  }
  key(): string | null {
    this.ws();
    const start = this.i;
    if (!isKeyStart(this.at())) return null;
    while (isKeyChar(this.at())) this.i++;
    const k = this.s.slice(start, this.i);
    return SPECIAL_KEY.test(k) || isReservedName(k) ? null : k;
  }
  /** `{key: value, …}` then the end of the line (a comment allowed): identifier keys, no repeats. */
  row(): Record<string, Value> | null {
    if (!this.eat(LBRACE)) return null;
    const row: Record<string, Value> = {};
    do {
      const k = this.key();
      if (k === null || Object.hasOwn(row, k) || !this.eat(COLON)) return null;
      const v = this.value();
      if (v === null) return null;
      row[k] = v;
    } while (this.eat(COMMA));
    if (!this.eat(RBRACE)) return null;
    this.ws();
    if (this.at() === HASH) while (this.i < this.s.length && this.at() !== NL) this.i++;
    if (this.at() === CR) this.i++;
    if (this.i < this.s.length && this.at() !== NL) return null;
    this.i++;
    return row;
  }
  /** Skips an empty line or a comment line; false when the line has content. */
  blank(): boolean {
    const start = this.i;
    this.ws();
    if (this.at() === HASH) while (this.i < this.s.length && this.at() !== NL) this.i++;
    if (this.at() === CR) this.i++;
    if (this.at() === NL) { this.i++; return true; }
    this.i = start;
    return false;
  }
  /** `indent- ` at the start of an item line; the indent's width, or -1. */
  item(): number {
    const start = this.i;
    this.ws();
    const width = this.i - start;
    if (this.at() === DASH && this.s.charCodeAt(this.i + 1) === SPACE) { this.i += 2; return width; }
    this.i = start;
    return -1;
  }
}

/**
 * Splits a long block sequence of one-line flow mappings under a top-level `data:` from the rest of
 * a YAML file; null when the file has no such section or any of its lines is outside the subset.
 */
export function splitData(text: string): SplitData | null {
  const head = /^data:[ \t]*(?:#[^\n]*)?\r?\n/m.exec(text);
  if (head === null) return null;
  const start = head.index + head[0].length;
  const sc = new Scanner(text, start);
  const rows: Record<string, Value>[] = [];
  let indent = -1, removed = 0;
  while (sc.i < text.length) {
    if (sc.blank()) { removed++; continue; }
    const width = sc.item();
    if (width < 0) {
      if (text.charCodeAt(sc.i) === SPACE) return null; // indented, but no item: not ours
      break; // the next top-level field
    }
    if (indent >= 0 && width !== indent) return null;
    indent = width;
    const row = sc.row();
    if (row === null) return null;
    rows.push(row);
    removed++;
  }
  if (rows.length < MIN_ROWS) return null;
  const line = countLines(text, 0, head.index) + 1;
  return { rest: text.slice(0, start) + text.slice(sc.i), rows, line, removed };
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === NL) n++;
  return n;
}
