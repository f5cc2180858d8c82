// Graphs of an expression program (values given) or of a problem file's first iteration.
import { Tensor } from "../autograd/tensor.js";
import { run } from "../expr/evaluate.js";
import { parseProgram } from "../expr/parser.js";
import { ValueError } from "../tensor/errors.js";
import { type Graph, type Leaves, traceGraph } from "../viz/graph.js";
import type { Compiled } from "./compile.js";
import { valueTensor } from "./compile.js";
import { Value } from "./schema.js";

/** Parses `name=value` assignments (`x=1`, `v=[1,2]`, `W=[[1,2],[3,4]]`) with JSON, never eval. */
export function parseAt(assignments: readonly string[]): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const a of assignments) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a.trim());
    if (m === null) throw new ValueError(`expected name=value (e.g. x=1 or v=[1,2]), got ${JSON.stringify(a)}.`, { op: "--at" });
    let v: unknown;
    try {
      v = JSON.parse(m[2] as string);
    } catch {
      throw new ValueError(`the value of ${m[1]} is not a number or a JSON array: ${m[2]}.`, { op: "--at" });
    }
    const parsed = Value.safeParse(v);
    if (!parsed.success) throw new ValueError(`the value of ${m[1]} must be a finite number, vector or matrix, got ${m[2]}.`, { op: "--at" });
    out.set(m[1] as string, valueTensor(parsed.data));
  }
  return out;
}

const leafOf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);

/** The graph of statements like "a = x*y + z; w = a*a" at the given values. */
export function expressionGraph(source: string, at: ReadonlyMap<string, Tensor>): Graph {
  const program = parseProgram(source);
  if (program.length === 0) throw new ValueError("the expression defines nothing: write statements like \"w = x*y + z\".", { op: "graph" });
  const leaves: Leaves = new Map([...at].map(([k, v]) => [k, { tensor: leafOf(v), kind: "parameter" as const }]));
  const rootName = (program.at(-1) as { name: string }).name;
  return traceGraph(() => {
    const env = run(program, new Map([...leaves].map(([k, l]) => [k, l.tensor])), source);
    return { root: env.get(rootName) as Tensor, names: new Map(program.map((s) => [s.name, env.get(s.name) as Tensor])) };
  }, leaves, rootName);
}

/** The graph of a problem's first iteration on its first sample, down to the loss. */
export function problemGraph(c: Compiled): Graph {
  const sample = c.samples.get(0);
  const leaves = new Map<string, { tensor: Tensor; kind: "input" | "parameter" }>();
  for (const [k, v] of [...c.constants, ...sample]) leaves.set(k, { tensor: leafOf(v), kind: "input" });
  for (const [k, v] of c.parameters) leaves.set(k, { tensor: leafOf(v), kind: "parameter" });
  return traceGraph(() => {
    const env = run(c.program, new Map([...leaves].map(([k, l]) => [k, l.tensor])), c.source);
    return { root: env.get(c.lossName) as Tensor, names: new Map(c.program.map((s) => [s.name, env.get(s.name) as Tensor])) };
  }, leaves, c.lossName);
}
