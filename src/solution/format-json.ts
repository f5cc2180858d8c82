// The JSON form of a solution: every quantity at full precision under stable names.
import type { Tensor } from "../autograd/tensor.js";
import type { NestedArray } from "../autograd/tensor.js";
import { printSym } from "../symbolic/print.js";
import type { Sym } from "../symbolic/sym.js";
import { gradSymbol } from "../symbolic/names.js";
import type { Solution } from "./solution.js";

const v = (t: Tensor): NestedArray => t.toArray();

/** Solution → plain JSON-ready object (see README "Quantity names"). */
export function toJson(sol: Solution): Record<string, unknown> {
  const text = (g: Sym | null): string => (g === null ? "0" : printSym(g, { target: "text", rounding: sol.rounding, numbers: false, name: (n, grad) => (grad ? gradSymbol(sol.lossName, n, "text") : n) }));
  return {
    format: "nabla-solution/1",
    title: sol.title,
    source: sol.source,
    conventions: sol.conventions,
    loss: sol.lossName,
    output: sol.output,
    model: sol.program.map((s) => ({ name: s.name, formula: s.text })),
    quantities: Object.fromEntries([...sol.quantities].map(([k, t]) => [k, v(t)])),
    iterations: sol.iterations.map((it) => ({
      iteration: it.iteration,
      loss: it.loss,
      sampleCount: it.sampleCount,
      samples: it.samples.map((s) => ({
        sample: s.index + 1,
        loss: s.loss,
        forward: Object.fromEntries(s.forward.map((r) => [r.name, v(r.value)])),
        steps: s.steps.map((st) => ({ quantity: st.quantity, formula: text(st.formula), value: v(st.value) })),
        local: Object.fromEntries(s.locals.map((l) => [`d${l.of}/d${l.wrt}`, { formula: text(l.g), value: v(l.value) }])),
      })),
      gradients: Object.fromEntries([...it.grads].map(([n, g]) => [n, v(g)])),
      updated: Object.fromEntries(it.updates.map((u) => [u.name, v(u.after)])),
    })),
    history: { loss: sol.lossHistory, output: sol.outputHistory, outputGradNorm: sol.outputGradHistory },
    final: Object.fromEntries([...sol.finalParameters].map(([n, t]) => [n, v(t)])),
  };
}
