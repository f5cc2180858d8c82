// Tokens of the expression language.
import type { Span } from "./ast.js";
import { ParseError } from "./errors.js";

export type TokenKind = "num" | "ident" | "op" | "newline" | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
}

const OPS = new Set(["+", "-", "*", "/", "^", "@", "(", ")", "[", "]", ",", ";", "=", "'"]);
// Sticky (`y`) patterns match at lastIndex without copying the rest of the source per token.
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff]*/y;

function matchAt(re: RegExp, source: string, i: number): string {
  re.lastIndex = i;
  return (re.exec(source) as RegExpExecArray)[0];
}

/** Splits source into tokens; `#` starts a comment. Throws ParseError on stray characters. */
export function tokenize(source: string, file?: string): Token[] {
  const tokens: Token[] = [];
  let i = 0, line = 1, lineStart = 0;
  const span = (start: number, end: number): Span => ({ start, end, line, column: start - lineStart + 1 });
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\n") {
      tokens.push({ kind: "newline", text: "\n", span: span(i, i + 1) });
      i++;
      line++;
      lineStart = i;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      const text = matchAt(NUMBER, source, i);
      tokens.push({ kind: "num", text, span: span(i, i + text.length) });
      i += text.length;
    } else if (/[A-Za-z_\u0370-\u03ff]/.test(c)) {
      const text = matchAt(IDENT, source, i);
      tokens.push({ kind: "ident", text, span: span(i, i + text.length) });
      i += text.length;
    } else if (c === "." && source[i + 1] === "T" && !/[A-Za-z0-9_]/.test(source[i + 2] ?? "")) {
      tokens.push({ kind: "op", text: ".T", span: span(i, i + 2) });
      i += 2;
    } else if (OPS.has(c)) {
      tokens.push({ kind: "op", text: c, span: span(i, i + 1) });
      i++;
    } else {
      throw new ParseError(`unexpected character ${JSON.stringify(c)}`, source, span(i, i + 1), file);
    }
  }
  tokens.push({ kind: "eof", text: "", span: span(i, i) });
  return tokens;
}
