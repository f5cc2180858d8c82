import { NablaError } from "../tensor/errors.js";
import type { Span } from "./ast.js";

/** A syntax error, located by line and column, with the offending line and a caret. */
export class ParseError extends NablaError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, readonly source: string, span: Pick<Span, "line" | "column">, readonly file?: string) {
    super(`${file === undefined ? "" : `${file}:`}${span.line}:${span.column}: ${message}\n${caret(source, span)}`);
    this.line = span.line;
    this.column = span.column;
  }
}

/** An error while evaluating a statement (unknown name, shapes …), located in the source. */
export class EvalError extends NablaError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, readonly source: string, span: Pick<Span, "line" | "column">) {
    super(`${span.line}:${span.column}: ${message}\n${caret(source, span)}`);
    this.line = span.line;
    this.column = span.column;
  }
}

const WINDOW = 80;

/** The source line of `span` with a caret under its column (a window of a very long line). */
export function caret(source: string, span: Pick<Span, "line" | "column">): string {
  const text = source.split(/\r?\n/)[span.line - 1] ?? "";
  const at = Math.max(0, span.column - 1);
  if (text.length <= WINDOW) return `  ${text}\n  ${" ".repeat(at)}^`;
  const start = Math.max(0, Math.min(at - WINDOW / 2, text.length - WINDOW));
  const end = start + WINDOW;
  const head = start > 0 ? "…" : "";
  const shown = `${head}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
  return `  ${shown}\n  ${" ".repeat(at - start + head.length)}^`;
}
