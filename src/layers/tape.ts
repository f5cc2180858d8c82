// Raw tensors (numbers and a shape, no graph) and a layer-local tape: a layer's forward records the
// ops it ran, its backward replays their backward rules in reverse. The same op definitions as
// autograd; no formula restated.
import { kernels } from "../kernels/index.js";
import { makeFunctional } from "../ops/functional.js";
import type { Functional, OpDef, RawTensor } from "../ops/types.js";
import { allocate, dtypeOf } from "../tensor/dtype.js";
import { DTypeError } from "../tensor/errors.js";

export type Raw = RawTensor;

/** Runs one op on raw tensors (validated exactly as autograd validates it). */
export function rawApply<A>(op: OpDef<A>, inputs: readonly Raw[], attrs: A): Raw {
  const d0 = inputs[0]?.dtype;
  for (const x of inputs) if (x.dtype !== d0) throw new DTypeError(`dtypes must match, got ${d0} and ${x.dtype}.`, { op: op.name });
  const shape = op.shape(inputs, attrs);
  op.checkValues?.(inputs, attrs);
  return { data: op.forward(inputs, attrs, shape, kernels()), shape, dtype: inputs[0]?.dtype ?? "float64" };
}

/** A 0-d raw tensor of `like`'s dtype (float64 without one). */
export function rawScalar(v: number, like: Raw | null): Raw {
  const d = allocate(like?.dtype ?? "float64", 1);
  d[0] = v;
  return { data: d, shape: [], dtype: dtypeOf(d) };
}

/** Functional on raw tensors, recording nothing (what backward rules run with). */
export const rawF: Functional<Raw> = makeFunctional<Raw>({ apply: rawApply, scalar: rawScalar });

interface Record_ {
  readonly inputs: readonly Raw[];
  readonly output: Raw;
  readonly vjp: (g: Raw) => readonly (Raw | null)[];
}

/** Records a forward pass over raw tensors and runs its backward pass. */
export class Tape {
  private records: Record_[] = [];
  /** Functional that records onto this tape. */
  readonly F: Functional<Raw>;

  constructor() {
    this.F = makeFunctional<Raw>({
      apply: (op, inputs, attrs) => {
        const output = rawApply(op, inputs, attrs);
        const needs = inputs.map(() => true);
        this.records.push({ inputs, output, vjp: (g) => op.backward(g, { inputs, output, attrs, needs }, rawF) });
        return output;
      },
      scalar: rawScalar,
    });
  }

  /** Forgets what was recorded (each forward starts a new tape). */
  reset(): void {
    this.records = [];
  }

  /** ∂(⟨gradOut, output⟩)/∂x for each x in `wrt`, walking the records backwards. */
  backward(output: Raw, gradOut: Raw, wrt: readonly Raw[]): Raw[] {
    const grads = new Map<Raw, Raw>([[output, gradOut]]);
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i] as Record_;
      const g = grads.get(r.output);
      if (g === undefined) continue;
      r.vjp(g).forEach((gi, j) => {
        const x = r.inputs[j] as Raw;
        if (gi === null || gi === undefined) return;
        const reduced = rawF.sumTo(gi, x.shape);
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? reduced : rawF.add(prev, reduced));
      });
    }
    return wrt.map((x) => grads.get(x) ?? { data: allocate(x.dtype, x.data.length), shape: x.shape, dtype: x.dtype });
  }
}
