// max/min reductions (amax/amin semantics).
import { ValueError } from "../tensor/errors.js";
import { normalizeAxes, type Shape } from "../tensor/shape.js";
import { keptShape, REDUCE_SAMPLES, type ReduceAttrs, reduceData, reduceShape } from "./reduce-shape.js";
import { call } from "./notation.js";
import { defineOp, type TensorLike } from "./types.js";

function extremum(name: "max" | "min") {
  return defineOp<ReduceAttrs, 1>({
    name,
    arity: 1,
    notation: () => call(name, `\\${name}`),
    shape(inputs, attrs) {
      const out = reduceShape(name, inputs, attrs);
      const x = inputs[0] as TensorLike;
      const axes = normalizeAxes(name, attrs.axis, x.shape.length);
      if (axes.some((a) => x.shape[a] === 0)) throw new ValueError(`cannot reduce an empty axis of a [${x.shape.join(",")}] tensor.`, { op: name });
      return out;
    },
    forward([x], attrs, _s: Shape, be) {
      return reduceData(be, name, x.data, x.shape, normalizeAxes(name, attrs.axis, x.shape.length));
    },
    // ∂max/∂xᵢ = [xᵢ = max] / #ties (gradient shared evenly among ties, like torch.amax)
    backward(g, { inputs: [x], output, attrs }, F) {
      const kept = keptShape(x.shape, attrs, name);
      const mask = F.eq(x, F.reshape(output, kept));
      const count = F.sum(mask, normalizeAxes(name, attrs.axis, x.shape.length), true);
      return [F.mul(F.reshape(g, kept), F.div(mask, count))];
    },
    samples: REDUCE_SAMPLES,
  });
}

export const max = extremum("max");
export const min = extremum("min");
