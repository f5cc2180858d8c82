// Raw tensors (numbers and a shape, no graph) and a layer-local tape: a layer's forward records the
// ops it ran; its backward is the engine's own reverse walk over those records. The same op
// definitions as autograd; no formula restated, no second walk.
import { reverseWalk, type WalkNode } from "../autograd/walk.js";
import { backend } from "../backend/backend.js";
import { makeFunctional } from "../ops/interpreter.js";
import { checkArity, type Functional, type OpDef, type RawTensor } from "../ops/types.js";
import { allocate, type DType } from "../tensor/dtype.js";
import { DTypeError } from "../tensor/errors.js";
import { type Shape, sizeOf } from "../tensor/shape.js";

export type Raw = RawTensor;

/** Runs one op on raw tensors (validated exactly as autograd validates it). */
export function rawApply<A>(op: OpDef<A>, inputs: readonly Raw[], attrs: A): Raw {
  checkArity(op, inputs);
  const d0 = inputs[0]?.dtype;
  for (const x of inputs) if (x.dtype !== d0) throw new DTypeError(`dtypes must match, got ${d0} and ${x.dtype}.`, { op: op.name });
  const shape = op.shape(inputs, attrs);
  op.checkValues(inputs, attrs);
  return { data: op.forward(inputs, attrs, shape, backend()), shape, dtype: inputs[0]?.dtype ?? "float64" };
}

/** A 0-d raw tensor. */
export function rawScalar(v: number, dtype: DType): Raw {
  const d = allocate(dtype, 1);
  d[0] = v;
  return { data: d, shape: [], dtype };
}

/** A raw tensor holding `values`. */
export function rawConstant(values: ArrayLike<number>, shape: Shape, dtype: DType): Raw {
  const d = allocate(dtype, sizeOf(shape));
  backend().write(d, values);
  return { data: d, shape, dtype };
}

/** Functional on raw tensors, recording nothing (what backward rules run with). */
export const rawF: Functional<Raw> = makeFunctional<Raw>({ apply: rawApply, scalar: rawScalar, constant: rawConstant });

/** Records a forward pass over raw tensors; its backward pass is the engine's reverse walk. */
export class Tape {
  private nodes = new Map<Raw, WalkNode<Raw>>();
  /** Functional that records onto this tape. */
  readonly F: Functional<Raw>;

  constructor() {
    this.F = makeFunctional<Raw>({
      apply: (op, inputs, attrs) => {
        const output = rawApply(op, inputs, attrs);
        const needs = inputs.map(() => true);
        this.nodes.set(output, { op: op.name, inputs, vjp: (g) => op.backward(g, { inputs, output, attrs, needs }, rawF) });
        return output;
      },
      scalar: rawScalar,
      constant: rawConstant,
    });
  }

  /** Forgets what was recorded (each forward starts a new tape). */
  reset(): void {
    this.nodes = new Map();
  }

  /** ∂(⟨gradOut, output⟩)/∂x for each x in `wrt`. */
  backward(output: Raw, gradOut: Raw, wrt: readonly Raw[]): Raw[] {
    const grads = reverseWalk<Raw>(output, gradOut, (r) => this.nodes.get(r) ?? null, rawF);
    return wrt.map((x) => grads.get(x) ?? { data: allocate(x.dtype, x.data.length), shape: x.shape, dtype: x.dtype });
  }
}
