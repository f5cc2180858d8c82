// `nabla jacobian "f = W1 @ x + W2 @ x" --wrt x --at …`: the Jacobian's numbers (autograd) and its
// symbolic form: the numerator-layout gradient of uᵀf (nabla derive, checked at random points and
// sizes) is uᵀJ, and J is read off by removing the leading uᵀ.
import { Tensor } from "../autograd/tensor.js";
import { jacobian } from "../autograd/transforms.js";
import { freeVariables } from "../expr/ast.js";
import { run } from "../expr/evaluate.js";
import { parseProgram } from "../expr/parser.js";
import { parseAt } from "../problems/graph.js";
import { derive, type Dim } from "../symbolic/derive.js";
import { formatValue } from "../symbolic/names.js";
import { printSym } from "../symbolic/print.js";
import { symbolic, type Sym } from "../symbolic/sym.js";
import { ValueError } from "../tensor/errors.js";

const U = "u";

// J from uᵀJ: the leading uᵀ removed from every term (null when a term does not start with it).
function strip(s: Sym, F: ReturnType<typeof symbolic>): Sym | null {
  const n = s.node;
  if (n.kind !== "op") return null;
  const [a, b] = n.inputs;
  const k = n.notation.kind;
  const isU = (x: Sym | undefined): boolean => x !== undefined && ((x.node.kind === "op" && x.node.notation.kind === "transpose" && x.node.inputs[0]?.node.kind === "leaf" && x.node.inputs[0].node.name === U) || (x.node.kind === "leaf" && x.node.name === U));
  if (k === "infix" && n.notation.expr === "@" && a !== undefined && b !== undefined) {
    const [ta, tb] = n.notation.transposed ?? [false, false];
    const right = tb ? F.transposeLast(b) : b;
    if (isU(a) || (ta && a.node.kind === "leaf" && a.node.name === U)) return right;
    const r = strip(ta ? F.transposeLast(a) : a, F);
    return r === null ? null : F.matmul(r, right);
  }
  if (k === "infix" && (n.notation.expr === "+" || n.notation.expr === "-") && a !== undefined && b !== undefined) {
    const ra = strip(a, F), rb = strip(b, F);
    return ra === null || rb === null ? null : n.notation.expr === "+" ? F.add(ra, rb) : F.sub(ra, rb);
  }
  if (k === "neg" && a !== undefined) { const r = strip(a, F); return r === null ? null : F.neg(r); }
  if (k === "infix" && n.notation.expr === "*" && a !== undefined && b !== undefined && a.value.size === 1 && a.node.kind !== "leaf") { const r = strip(b, F); return r === null ? null : F.mul(a, r); }
  return null;
}

/** The report: J's numbers at the given values and, where it can be read off, J in symbols. */
export function jacobianCommand(source: string, wrt: string, at: readonly string[]): string {
  const program = parseProgram(source.replace(/;/g, "\n"));
  if (program.some((s) => s.name === U || freeVariables(s.expr).includes(U))) throw new ValueError(`the name ${U} is reserved here for the cotangent uᵀ; rename it.`, { op: "jacobian" });
  const root = program.at(-1);
  if (root === undefined) throw new ValueError('write statements like "f = W1 @ x + W2 @ x".', { op: "jacobian" });
  const values = parseAt(at);
  const x = values.get(wrt);
  if (x === undefined) throw new ValueError(`--at must give a value for ${wrt}.`, { op: "jacobian" });
  const f = (v: Tensor): Tensor => run(program, new Map([...values, [wrt, v]]), source).get(root.name) as Tensor;
  const [J] = jacobian(f, [x]);
  const out = f(x);
  const lines = [`J = ∂${root.name}/∂${wrt} (${out.size}×${x.size}, numerator layout: row i is ∂${root.name}ᵢ/∂${wrt}) at the given values:`, `  ${formatValue((J as Tensor).reshape([out.size, x.size]), { digits: 6, mode: "significant" }, "text")}`];
  // symbolic: d(uᵀf)/d·, vectors as columns
  const used = new Set(program.flatMap((s) => freeVariables(s.expr)));
  // sizes as symbols (one per distinct size), so the form read off holds at every size
  const sym = (n: number): Dim => `d${n}`;
  const shapes = new Map<string, Dim[]>([...values].filter(([k]) => used.has(k)).map(([k, t]): [string, Dim[]] => [k, t.shape.map(sym)]));
  shapes.set(U, out.shape.map(sym));
  try {
    const d = derive(`${program.map((s) => `${s.name} = ${s.text.trim()}`).join("\n")}\nL__ = sum(${U} * ${root.name})`, { wrt: [wrt], layout: "numerator", shapes, checks: 5 });
    const F = symbolic();
    const g = d.results[0]?.formula;
    const j = g === undefined ? null : strip(g, F);
    lines.push(j === null ? `  uᵀJ = ${d.results[0]?.text ?? "?"} (checked against autograd)` : `  J = ${printSym(j, { target: "text", rounding: { digits: 6, mode: "significant" }, numbers: false, matrix: true, name: (n) => n })}   (from uᵀJ = ${d.results[0]?.text ?? "?"}, checked against autograd)`);
  } catch (e) {
    lines.push(`  (no symbolic form: ${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  return `${lines.join("\n")}\n`;
}
