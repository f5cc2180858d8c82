import { normalizeAxes } from "../tensor/shape.js";
import { keptShape, REDUCE_SAMPLES, type ReduceAttrs, reduceData, reduceShape } from "./reduce-shape.js";
import { call } from "./notation.js";
import { defineOp } from "./types.js";

/** Sum over axes (all by default). */
export const sum = defineOp<ReduceAttrs, 1>({
  name: "sum",
  arity: 1,
  notation: () => call("Σ", "\\sum", "sum"),
  shape: (inputs, attrs) => reduceShape("sum", inputs, attrs),
  forward([x], attrs, _s, be) {
    return reduceData(be, "sum", x.data, x.shape, normalizeAxes("sum", attrs.axis, x.shape.length));
  },
  // ∂Σx/∂xᵢ = 1: broadcast gradOut back over the reduced axes
  // (NOTE: no reshape when the reduced axes are kept or leading: broadcasting restores those alone)
  backward(g, { inputs: [x], attrs }, F) {
    const axes = normalizeAxes("sum", attrs.axis, x.shape.length);
    let leading = true;
    for (let i = 0; i < axes.length; i++) if (axes[i] !== i) leading = false;
    return [F.expand(attrs.keepdims === true || leading ? g : F.reshape(g, keptShape(x.shape, attrs, "sum")), x.shape)];
  },
  samples: REDUCE_SAMPLES,
});
