// A Pratt parser for `name = expr` statements. No eval, no Function: the tree is interpreted.
import { type BinaryOp, type Expr, isReservedName, reservedNameMessage, type Span, type Statement } from "./ast.js";
import { ParseError } from "./errors.js";
import { type Token, tokenize } from "./lexer.js";

// Binding powers: + − < * / @ < unary − < ^ (right-associative) < postfix transpose
const INFIX: Record<string, [number, number]> = { "+": [10, 11], "-": [10, 11], "*": [20, 21], "/": [20, 21], "@": [20, 21], "^": [41, 40] };
const PREFIX_NEG = 30;
const POSTFIX = 50;
const MAX_DEPTH = 200;

const describe = (t: Token): string => (t.kind === "eof" ? "end of input" : t.kind === "newline" ? "end of line" : `'${t.text}'`);

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly source: string, private readonly file?: string) {}

  private peek(): Token { return this.tokens[this.pos] as Token; }
  private next(): Token { return this.tokens[this.pos++] as Token; }
  private fail(message: string, at: Token = this.peek()): never {
    throw new ParseError(message, this.source, at.span, this.file);
  }
  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (t.text !== text || t.kind === "num" || t.kind === "ident") this.fail(`expected ${what}, got ${describe(t)}`);
    return this.next();
  }
  private checkName(t: Token): void {
    if (isReservedName(t.text)) this.fail(reservedNameMessage(t.text), t);
  }
  private skipNewlines(): void {
    while (this.peek().kind === "newline" || this.peek().text === ";") this.next();
  }

  program(): Statement[] {
    const out: Statement[] = [];
    this.skipNewlines();
    while (this.peek().kind !== "eof") {
      out.push(this.statement());
      const t = this.peek();
      if (t.kind !== "eof" && t.kind !== "newline" && t.text !== ";") this.fail(`expected ';' or a new line after the statement, got ${describe(t)}`);
      this.skipNewlines();
    }
    return out;
  }

  statement(): Statement {
    const name = this.peek();
    if (name.kind !== "ident") this.fail(`expected a variable name to assign, got ${describe(name)}`);
    this.checkName(name);
    this.next();
    this.expect("=", `'=' after '${name.text}'`);
    const rhsStart = this.peek().span.start;
    const expr = this.expr(0);
    const end = this.tokens[this.pos - 1]?.span.end ?? rhsStart;
    return { name: name.text, expr, span: name.span, text: this.source.slice(rhsStart, end) };
  }

  expression(): Expr {
    const e = this.expr(0);
    if (this.peek().kind !== "eof") this.fail(`unexpected ${describe(this.peek())} after the expression`);
    return e;
  }

  private expr(minBp: number): Expr {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nests deeper than ${MAX_DEPTH} levels`);
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op") break;
      if ((t.text === "'" || t.text === ".T") && POSTFIX >= minBp) {
        this.next();
        left = { kind: "transpose", arg: left, span: t.span };
        continue;
      }
      const bp = INFIX[t.text];
      if (bp === undefined || bp[0] < minBp) break;
      this.next();
      if (this.peek().kind === "eof" || this.peek().kind === "newline") this.fail(`expected an expression after '${t.text}', got ${describe(this.peek())}`);
      const right = this.expr(bp[1]);
      left = { kind: "binary", op: t.text as BinaryOp, left, right, span: t.span };
    }
    this.depth--;
    return left;
  }

  private prefix(): Expr {
    const t = this.next();
    if (t.kind === "num") {
      const value = Number(t.text);
      if (!Number.isFinite(value)) this.fail(`number ${t.text} is out of range`, t);
      return { kind: "num", value, span: t.span };
    }
    if (t.kind === "ident") {
      if (this.peek().text === "(" && this.peek().kind === "op") return this.call(t);
      this.checkName(t);
      return { kind: "var", name: t.text, span: t.span };
    }
    if (t.text === "-" && t.kind === "op") return { kind: "neg", arg: this.expr(PREFIX_NEG), span: t.span };
    if (t.text === "+" && t.kind === "op") return this.expr(PREFIX_NEG);
    if (t.text === "(" && t.kind === "op") {
      const e = this.expr(0);
      this.expect(")", `')' to close the '(' at ${t.span.line}:${t.span.column}`);
      return e;
    }
    if (t.text === "[" && t.kind === "op") return this.array(t.span);
    return this.fail(`expected a number, a name, '(' or '[', got ${describe(t)}`, t);
  }

  private call(name: Token): Expr {
    this.next(); // (
    const args = this.list(")", `',' or ')' in the call of ${name.text}`);
    return { kind: "call", fn: name.text, args, span: name.span };
  }

  private array(open: Span): Expr {
    const items = this.list("]", `',' or ']' to close the '[' at ${open.line}:${open.column}`);
    return { kind: "array", items, span: open };
  }

  // Comma-separated expressions up to `close` (consumed).
  private list(close: string, what: string): Expr[] {
    const items: Expr[] = [];
    if (this.peek().text !== close) {
      for (;;) {
        items.push(this.expr(0));
        if (this.peek().text === "," && this.peek().kind === "op") { this.next(); continue; }
        break;
      }
    }
    this.expect(close, what);
    return items;
  }
}

/** Parses statements separated by ';' or new lines. */
export function parseProgram(source: string, file?: string): Statement[] {
  return new Parser(tokenize(source, file), source, file).program();
}

/** Parses one expression. */
export function parseExpression(source: string, file?: string): Expr {
  return new Parser(tokenize(source, file), source, file).expression();
}
