// Inputs for the CLI fuzz suite: a seeded generator of problem files (valid, broken, huge,
// non-finite, prototype-named, long and deep), answers files, expressions and output paths.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A seeded generator (mulberry32): the same inputs on every run. */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Numbers as a file writes them: ordinary, tiny, huge, and the spellings of non-finite ones. */
export const NUMBERS = ["0.5", "-1.2", "0", "3", "1e-300", "1e300", "-1e308", "1.7976931348623157e308", "2e-3", "-0", "1e999", ".nan", ".inf", "-.inf", "NaN", "0x10", "1_000", "7"];
const FINITE = ["0.5", "-1.2", "0", "3", "2e-3", "1.5", "-0.7", "1e-300", "1e300", "100"];
const ACTS = ["sigmoid", "tanh", "relu", "gelu", "softplus", "elu", "silu", "exp", "log", "sqrt", "abs", "toString", "constructor", "nosuch"];
const LOSSES = ["mse", "l1", "huber", "bce", "bce-with-logits", "cross-entropy", "bogus"];
const OPTS = ["sgd", "adam", "adamw", "rmsprop", "adagrad"];
const NAMES = ["x", "y", "w", "b", "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

/** One small problem file in YAML, mostly valid; `num` picks its numbers. */
function problemText(r: Rng, num: () => string): string {
  const kind = r.int(4);
  const loss = `loss: {kind: ${r.pick(LOSSES.slice(0, r.chance(0.9) ? 3 : LOSSES.length))}${r.chance(0.3) ? `, half: ${r.chance(0.5)}` : ""}${r.chance(0.2) ? `, name: ${r.pick(["J", "L", "__proto__", "Div"])}` : ""}}`;
  const iterations = r.pick([0, 1, 1, 2, 3]);
  const opt = iterations > 1 || r.chance(0.5) ? `optimizer: {kind: ${r.pick(OPTS)}, lr: ${r.pick(["0.1", "0.01", "1e300", "-1", "0"])}}\n` : "";
  if (kind === 0) {
    const act = r.chance(0.85) ? r.pick(ACTS.slice(0, 8)) : r.pick(ACTS);
    return `title: f\nmodel:\n  formulas: |\n    s = w*x + b\n    yhat = ${act}(s)\ninputs: {x: ${num()}, y: ${num()}}\nparameters: {w: ${num()}, b: ${num()}}\n${loss}\n${opt}training: {iterations: ${iterations}}\nreport: {digits: ${r.pick([3, 5, 17, 0, 40])}}\n`;
  }
  if (kind === 1) {
    const k = r.pick([1, 2, 3]);
    return `title: layers\nmodel:\n  layers:\n    - linear: {in: 2, out: ${k}}\n    - ${r.pick(["relu", "tanh", "sigmoid", "softmax", "identity", "swish"])}\n    - linear: {in: ${k}, out: 1}\n    - sigmoid\ninputs: {x: [${num()}, ${num()}], y: ${r.pick(["0", "1", "0.5"])}}\n${loss}\n${opt}training: {iterations: ${iterations}}\nconventions: {layout: ${r.pick(["xWT", "Wx", "xW"])}}\n`;
  }
  if (kind === 2) {
    const n = 1 + r.int(12);
    const rows = Array.from({ length: n }, () => `  - {x: ${num()}, y: ${num()}}`).join("\n");
    const mode = r.pick(["batch-mean", "batch-sum", "per-sample", "single"]);
    return `title: batch\nmodel:\n  formulas: yhat = w*x + b\nparameters: {w: ${num()}, b: ${num()}}\ndata:\n${rows}\n${loss}\n${opt}training: {iterations: ${iterations}, mode: ${mode}}\n`;
  }
  const name = r.pick(NAMES);
  return `title: wrt\nmodel:\n  formulas: |\n    d = z - zhat\n    ${name} = d * 2\ninputs:\n  z: [${num()}, ${num()}]\n  zhat: [${num()}, ${num()}]\n  ${r.pick(NAMES)}: ${num()}\nwrt: [z]\nloss: {kind: formula, name: J, formula: "J = mean(huber(d, 0.5))"}\ntraining: {iterations: 0}\n`;
}

const JUNK = ["", "{", "]", ":", "- -", "kind: nope", "  extra_field: 1", "lr: -1", "x1: [1, [2]]", "w: abc", "title:", "  formulas: |\n    y = (", "loss: 3", "training: {iterations: -2}", "\t", "report: {digits: 99}", "inputs: {x: .nan}", "__proto__: 1", "  constructor: 2", "a: &a [1, 2]\nb: *a", "data: []", "\u0000\u0001", "training: {iterations: 100001}"];

/** A deep or long formula: flat sums, nested parentheses, chains of minus signs and calls. */
export function monsterFormula(r: Rng): string {
  const n = r.pick([10, 500, 4000]);
  switch (r.int(5)) {
    case 0: return `yhat = ${Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "w*x" : "b")).join(" + ")}`;
    case 1: { const d = r.pick([50, 199, 201, 3000]); return `yhat = ${"(".repeat(d)}w*x${")".repeat(d)}`; }
    case 2: return `yhat = ${"-".repeat(r.pick([10, 250, 5000]))}w*x`;
    case 3: { const d = r.pick([20, 150, 250]); return `yhat = ${"sigmoid(".repeat(d)}w*x${")".repeat(d)}`; }
    default: return `yhat = ${Array.from({ length: n }, () => "w").join(" * ")} * x`;
  }
}

/** Problem files: ordinary ones (and paths that are not files), and the slow monsters. */
export interface ProblemPool {
  readonly light: string[];
  readonly heavy: string[];
}

/** Writes the pool of problem files. */
export function writeProblems(dir: string, r: Rng, count: number): ProblemPool {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [], heavy: string[] = [];
  const seed3 = readFileSync("examples/seed003-sigmoid-network.yaml", "utf8");
  for (let i = 0; i < count; i++) {
    const num = (): string => (r.chance(0.85) ? r.pick(FINITE) : r.pick(NUMBERS));
    let text = r.chance(0.1) ? seed3 : problemText(r, num);
    const style = r.int(10);
    if (style === 0) {
      const lines = text.split("\n");
      for (let e = 0; e <= r.int(3); e++) {
        const at = r.int(lines.length), junk = r.pick(JUNK);
        const how = r.int(4);
        if (how === 0) lines[at] = junk;
        else if (how === 1) lines.splice(at, 0, junk);
        else if (how === 2) lines.splice(at, 1);
        else lines.splice(at);
      }
      text = lines.join("\n");
    } else if (style === 1) {
      text = `title: monster\nmodel:\n  formulas: "${monsterFormula(r)}"\ninputs: {x: 0.5, y: 1}\nparameters: {w: 0.9, b: 0.1}\nloss: {kind: mse}\n`;
    } else if (style === 2 && r.chance(0.3)) {
      text = `title: bomb\nx: &a [1, 1, 1, 1, 1, 1, 1, 1]\n${Array.from({ length: 8 }, (_, k) => `${"bcdefghi"[k]}: &${"bcdefghi"[k]} [${Array(8).fill(k === 0 ? "*a" : `*${"abcdefgh"[k]}`).join(", ")}]`).join("\n")}\n`;
    } else if (style === 3 && r.chance(0.3)) {
      text = r.pick(["", "\u0000\u0001\u0002binary", "[1, 2, 3]", "just a string", "{\"title\": \"json\", \"model\": {\"formulas\": \"yhat = w*x\"}, \"inputs\": {\"x\": 1, \"y\": 2}, \"parameters\": {\"w\": 0.5}, \"loss\": {\"kind\": \"mse\"}}"]);
    }
    const f = join(dir, `p${i}.${r.chance(0.9) ? "yaml" : "json"}`);
    writeFileSync(f, text);
    (style === 1 ? heavy : files).push(f);
  }
  const unreadable = join(dir, "unreadable.yaml");
  writeFileSync(unreadable, "title: t\n");
  chmodSync(unreadable, 0o000);
  mkdirSync(join(dir, "a-directory.yaml"), { recursive: true });
  return { light: [...files, join(dir, "missing.yaml"), join(dir, "a-directory.yaml"), unreadable, "examples/seed003-sigmoid-network.yaml", "examples/seed004-q3-mlp-full-batch.yaml"], heavy };
}

const KEYS = ["L", "J", "Div", "dL/dw", "dL/db", "dL/dyhat", "dL/ds", "yhat", "s", "dyhat/ds", "w@2", "dL/dw@2", "yhat#1", "yhat#2", "dL/dz", "dJ/dz", "dDiv/dw1", "nosuch", "__proto__", "constructor", "toString", "dL/d__proto__"];
const FORMULAS = ['"yhat*(1 - yhat)"', '"1 - tanh(s)^2"', '"(("', '"K * N"', '"toString(s)"', '"constructor(1)"', `"${"(".repeat(300)}s${")".repeat(300)}"`, `"${Array(3000).fill("s").join(" + ")}"`, '"1/0"', '"log(-1)"', '"sigmoid(s) * (1 - sigmoid(s))"'];

/** Writes the pool of answers files. */
export function writeAnswers(dir: string, r: Rng, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: 1 + r.int(5) }, () => {
      const v = r.int(6);
      const value = v === 0 ? r.pick(FORMULAS) : v === 1 ? `[${r.pick(NUMBERS)}, ${r.pick(FINITE)}]` : v === 2 ? `[[1, 2], [${r.pick(FINITE)}]]` : v === 3 ? "{a: 1}" : r.pick([...FINITE, ...NUMBERS]);
      return `${JSON.stringify(r.pick(KEYS))}: ${value}`;
    });
    if (r.chance(0.1)) lines.push(r.pick(JUNK));
    const f = join(dir, `a${i}.yaml`);
    writeFileSync(f, `${lines.join("\n")}\n`);
    files.push(f);
  }
  return [...files, join(dir, "missing-answers.yaml")];
}

/** A statement string for `nabla graph`: valid, broken, monstrous or prototype-named. */
export function expression(r: Rng): string {
  switch (r.int(6)) {
    case 0: return "a = x*y + z; b = a*(x + x); w = a*b + b";
    case 1: return `w = ${r.pick(ACTS)}(x) * y`;
    case 2: return monsterFormula(r).replace("yhat", "q");
    case 3: return r.pick(["w = x @ v", "w = (x", "= x", "w = x +", "__proto__ = x", "w = toString(x)", "w = x / 0", "w = log(x - 10)", "w = x ^ 1e308", "w = [x, y] * 2", "w = sum(v)"]);
    case 4: return r.pick(["examples/seed003-sigmoid-network.yaml", "missing/dir/model", "nope.yaml"]);
    default: return `w = x ${r.pick(["+", "-", "*", "/", "^"])} y`;
  }
}

/** `--at` assignments: valid, huge, non-finite, vectors, garbage. */
export function assignments(r: Rng): string[] {
  const names = ["x", "y", "z", "v", "__proto__", "x"];
  return Array.from({ length: r.int(4) }, () => `${r.pick(names)}=${r.pick(["1", "2", "-3.5", "1e308", "1e999", "nan", "abc", "[1, 2]", "[[1], [2]]", "", ".5"])}`);
}
