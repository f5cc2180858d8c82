// Computational graphs from trace events: one node per operation and per variable, one edge per
// use (x + x is two edges), each node with its value and gradient, each edge with the gradient
// that flows back along it.
import { onTrace, type TraceEvent } from "../autograd/events.js";
import { Tensor } from "../autograd/tensor.js";
import { formatValue, type Rounding } from "../symbolic/names.js";

export type NodeKind = "input" | "parameter" | "op" | "constant";

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Operation symbol, or the variable's name. */
  readonly label: string;
  /** Name of the statement whose value this op produced, if any. */
  name: string | undefined;
  readonly value: Tensor;
  grad: Tensor | null;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Which input of the op this edge feeds (0-based). */
  readonly slot: number;
  /** The gradient contribution sent back along this edge. */
  grad: Tensor | null;
}

export interface Graph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** The differentiated output's name (for ∂out/∂· labels). */
  readonly root: string;
}

const SYMBOL: Record<string, string> = {
  add: "+", sub: "−", mul: "×", div: "÷", matmul: "@", pow: "^", neg: "−", exp: "exp", log: "ln", sqrt: "√",
  abs: "|·|", sigmoid: "σ", tanh: "tanh", relu: "ReLU", erf: "erf", sum: "Σ", max: "max", min: "min",
  logsumexp: "logsumexp", logSoftmax: "log softmax", permute: "ᵀ", reshape: "reshape", expand: "broadcast",
  softplus: "softplus", clamp: "clamp", where: "where", maximum: "max", minimum: "min", bce: "bce", concat: "concat", slice: "slice", pad: "pad",
};

function opLabel(op: string, attrs: unknown): string {
  if (op === "powScalar") return `^${(attrs as { exponent: number }).exponent}`;
  return SYMBOL[op] ?? op;
}

/** Leaves of the graph by name: their tensors and whether they are parameters or inputs. */
export type Leaves = ReadonlyMap<string, { readonly tensor: Tensor; readonly kind: "input" | "parameter" }>;

/**
 * Runs `forward` (which must compute from the given leaves), records its graph, differentiates
 * the returned tensor, and returns nodes and edges with values and gradients.
 */
export function traceGraph(forward: () => { root: Tensor; names: ReadonlyMap<string, Tensor> }, leaves: Leaves, rootName: string): Graph {
  const nodes = new Map<number, GraphNode>();
  const edges: GraphEdge[] = [];
  const byOutput = new Map<number, string>();
  const leafIds = new Map<number, [string, "input" | "parameter"]>([...leaves].map(([n, l]) => [l.tensor.id, [n, l.kind]]));
  const edgeOf = new Map<string, GraphEdge>();
  let constants = 0;
  const nodeFor = (t: Tensor): string => {
    const known = byOutput.get(t.id);
    if (known !== undefined) return known;
    const leaf = leafIds.get(t.id);
    if (leaf !== undefined) {
      const id = `v${t.id}`;
      if (!nodes.has(t.id)) nodes.set(t.id, { id, kind: leaf[1], label: leaf[0], name: leaf[0], value: t, grad: null });
      byOutput.set(t.id, id);
      return id;
    }
    const id = `c${constants++}`;
    nodes.set(-1 - constants, { id, kind: "constant", label: formatValue(t, { digits: 4, mode: "significant" }, "text"), name: undefined, value: t, grad: null });
    return id;
  };
  const listener = (e: TraceEvent): void => {
    if (e.kind === "forward") {
      const id = `o${e.output.id}`;
      const inputIds = e.inputs.map(nodeFor);
      nodes.set(e.output.id, { id, kind: "op", label: opLabel(e.op, e.attrs), name: undefined, value: e.output, grad: null });
      byOutput.set(e.output.id, id);
      if (e.output.requiresGrad) e.output.retainGrad();
      inputIds.forEach((from, slot) => {
        const edge: GraphEdge = { from, to: id, slot, grad: null };
        edges.push(edge);
        edgeOf.set(`${id}:${slot}`, edge);
      });
    } else if (e.kind === "backward") {
      e.grads.forEach((g, slot) => {
        const edge = edgeOf.get(`o${e.output.id}:${slot}`);
        if (edge !== undefined && g !== null) edge.grad = g;
      });
    }
  };
  const off = onTrace(listener);
  let root: Tensor;
  let names: ReadonlyMap<string, Tensor>;
  try {
    ({ root, names } = forward());
    if (root.requiresGrad) root.backward(root.size === 1 ? undefined : new Tensor(root.data.map(() => 1), root.shape));
  } finally {
    off();
  }
  for (const [name, t] of names) {
    const n = nodes.get(t.id);
    if (n !== undefined && n.kind === "op") n.name = name;
  }
  for (const [tid, n] of nodes) {
    if (tid < 0) continue;
    n.grad = n.value.grad;
  }
  return { nodes: [...nodes.values()], edges, root: rootName };
}

const esc = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

function show(t: Tensor, r: Rounding): string {
  if (t.size === 1) return formatValue(t, r, "text");
  if (t.size <= 4) return formatValue(t, r, "text");
  return `shape [${t.shape.join(",")}]`;
}

/** Graphviz DOT: values in black on nodes, gradients in red on nodes and on dashed backward edges. */
export function toDot(g: Graph, r: Rounding = { digits: 4, mode: "significant" }): string {
  const lines = [
    "digraph nabla {",
    '  rankdir=LR; bgcolor="white"; nodesep=0.35; ranksep=0.6;',
    '  node [fontname="DejaVu Sans", fontsize=11, margin="0.08,0.04"];',
    '  edge [fontname="DejaVu Sans", fontsize=10];',
  ];
  for (const n of g.nodes) {
    const parts = [n.kind === "op" ? (n.name !== undefined ? `${n.name} = ${n.label}` : n.label) : n.label];
    if (n.kind !== "constant") parts.push(`= ${show(n.value, r)}`);
    if (n.grad !== null && n.kind !== "constant") parts.push(`∂${g.root}/∂${n.name ?? "·"} = ${show(n.grad, r)}`);
    const label = parts.map(esc).join("\\n");
    const style = n.kind === "input" ? 'shape=box, style="rounded,filled", fillcolor="#dbeafe"'
      : n.kind === "parameter" ? 'shape=box, peripheries=2, style="rounded,filled", fillcolor="#fef3c7"'
        : n.kind === "constant" ? 'shape=plaintext, fontcolor="#6b7280"'
          : 'shape=ellipse, style=filled, fillcolor="#f3f4f6"';
    lines.push(`  ${n.id} [${style}, label="${label}", tooltip="${esc(n.kind)}"];`);
  }
  for (const e of g.edges) {
    lines.push(`  ${e.from} -> ${e.to} [color="#111827", arrowsize=0.7, class="forward", id="f_${e.from}_${e.to}_${e.slot}"];`);
  }
  const constants = new Set(g.nodes.filter((n) => n.kind === "constant").map((n) => n.id));
  for (const e of g.edges) {
    if (e.grad === null || constants.has(e.from)) continue;
    lines.push(`  ${e.to} -> ${e.from} [style=dashed, color="#dc2626", fontcolor="#dc2626", constraint=false, arrowsize=0.6, class="backward", id="b_${e.to}_${e.from}_${e.slot}", label="${esc(show(e.grad, r))}"];`);
  }
  lines.push(
    "  subgraph cluster_legend {",
    '    label="legend"; fontname="DejaVu Sans"; fontsize=10; color="#d1d5db";',
    '    l_in [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="input"];',
    '    l_par [shape=box, peripheries=2, style="rounded,filled", fillcolor="#fef3c7", label="parameter"];',
    '    l_op [shape=ellipse, style=filled, fillcolor="#f3f4f6", label="operation"];',
    '    l_in -> l_op [label="forward: value", color="#111827"];',
    '    l_op -> l_par [style=dashed, color="#dc2626", fontcolor="#dc2626", label="backward: gradient", dir=back];',
    "  }",
    "}",
  );
  return `${lines.join("\n")}\n`;
}
