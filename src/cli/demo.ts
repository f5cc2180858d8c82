// `nabla demo`: forward values and gradients of the seed graph, each step printed from the ops' rules.
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { run } from "../expr/evaluate.js";
import { parseProgram } from "../expr/parser.js";
import { backwardOrder, chainSteps } from "../symbolic/chain.js";
import { type PrintOptions, printSym } from "../symbolic/print.js";
import { symbolic } from "../symbolic/sym.js";
import { ValueError } from "../tensor/errors.js";

/** `x=1 y=-2.5 z=.5` → the values (defaults x = 1, y = 2, z = 3). */
export function parseDemoValues(args: readonly string[]): Record<"x" | "y" | "z", number> {
  const at = { x: 1, y: 2, z: 3 };
  for (const a of args) {
    const m = /^([xyz])=([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(a.trim());
    const v = Number(m?.[2]);
    if (m === null || !Number.isFinite(v)) throw new ValueError(`expected x=NUM, y=NUM or z=NUM with a finite number (like 2, -0.5, .5 or 1e-3), got ${JSON.stringify(a)}.`, { op: "demo" });
    at[m[1] as "x" | "y" | "z"] = v;
  }
  return at;
}

const PROGRAM = "a = x*y + z\nb = a*(x + x)\nw = a*b + b";
const LABELS: Readonly<Record<string, string>> = { a: "x·y + z", b: "a·(x + x)", w: "a·b + b" };

/** Prints every forward value and each ∂w/∂· as the ops' own rules give it (the symbolic chain rule). */
export function demo(args: readonly string[], out: (s: string) => void): number {
  const at = parseDemoValues(args);
  const program = parseProgram(PROGRAM);
  const inputs = new Map((["x", "y", "z"] as const).map((k) => [k, tensor(at[k])]));
  const values = noGrad(() => run(program, new Map(inputs), PROGRAM));
  const steps = chainSteps(program, backwardOrder(program, ["x", "y", "z"]), values, tensor(1), true, symbolic());
  const o: PrintOptions = { target: "text", rounding: { digits: 6, mode: "significant" }, numbers: false, name: (n, grad) => (grad ? `∂w/∂${n}` : n) };
  const value = (n: string): number => (values.get(n) as Tensor).item();
  out("seed graph: a = x·y + z;  b = a·(x + x);  w = a·b + b");
  out(`inputs:     x = ${at.x}, y = ${at.y}, z = ${at.z}`);
  out("forward:");
  for (const s of program) out(`  ${s.name} = ${(LABELS[s.name] ?? "").padEnd(13)} = ${value(s.name)}`);
  out("backward (reverse mode, ∂w/∂·, each step the ops' own rules):");
  for (const st of steps) out(`  ∂w/∂${st.quantity} = ${st.formula === null ? "0" : printSym(st.formula, o)} = ${st.value.item()}`);
  return 0;
}
