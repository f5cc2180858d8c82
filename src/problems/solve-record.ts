// What a solved iteration records: every quantity under its stable key (README "Quantity names"),
// and the check that every printed chain-rule step equals autograd's gradient.
import { tensor } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import { NablaError } from "../tensor/errors.js";
import type { SampleTrace } from "../solution/solution.js";
import type { ChainStep } from "../symbolic/chain.js";
import type { Compiled } from "./compile.js";

/** The stable key of a quantity: name, #sample (batches), @iteration (after the first). */
export const key = (base: string, sample: number | null, iteration: number): string =>
  `${base}${sample === null ? "" : `#${sample + 1}`}${iteration > 1 ? `@${iteration}` : ""}`;

/** Records an iteration's quantities in computation order. */
export function recordSample(quantities: Map<string, Tensor>, c: Compiled, samples: readonly SampleTrace[], grads: ReadonlyMap<string, Tensor>, multi: boolean, it: number, loss: number): void {
  const p = c.problem;
  for (const s of samples) {
    const sk = multi ? s.index : null;
    if (it === 1 || multi || p.training.mode === "per-sample") for (const [n, v] of c.samples.get(s.index)) quantities.set(key(n, sk, it), v);
    for (const st of c.program) quantities.set(key(st.name, multi && st.name === c.lossName ? s.index : sk, it), s.values.get(st.name) as Tensor);
    for (const l of s.locals) quantities.set(key(`d${l.of}/d${l.wrt}`, sk, it), l.value);
    for (const [n, g] of s.grads) if (n !== c.lossName && !c.parameters.has(n) && !(p.wrt.includes(n) && !multi)) quantities.set(key(`d${c.lossName}/d${n}`, sk, it), g);
  }
  if (multi) quantities.set(key(c.lossName, null, it), tensor(loss));
  for (const [n, g] of grads) quantities.set(key(`d${c.lossName}/d${n}`, null, it), g);
}

/** Equal, or within 1e-9 relative; infinities equal when both sides agree, NaN never. */
export function agrees(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

// Every printed step must equal autograd's gradient: a disagreement is a bug in nabla, not the user's.
export function verify(steps: readonly ChainStep[], env: ReadonlyMap<string, Tensor>, params: ReadonlyMap<string, Tensor>, multi: boolean, it: number): void {
  for (const s of steps) {
    if (multi && params.has(s.quantity)) continue; // per-sample share of a summed gradient
    const g = env.get(s.quantity)?.grad;
    if (g === null || g === undefined) continue;
    for (let i = 0; i < g.size; i++) {
      const a = s.value.data[i] as number, b = g.data[i] as number;
      if (!agrees(a, b)) {
        throw new NablaError(`internal check failed at iteration ${it}: the chain rule gives ${a} for ∂/∂${s.quantity}[${i}] but autograd gives ${b}.`, { op: "solve" });
      }
    }
  }
}
