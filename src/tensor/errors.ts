import type { Shape } from "./shape.js";

/** Structured details every nabla error may carry. */
export interface ErrorDetails {
  readonly op?: string;
  readonly shapes?: readonly Shape[];
  readonly dtype?: string;
  readonly hint?: string;
}

/** Base class of every error nabla throws on purpose: `<op>: <rule>, got <actual>. <hint>` */
export class NablaError extends Error {
  readonly op: string | undefined;
  readonly shapes: readonly Shape[] | undefined;
  readonly dtype: string | undefined;
  readonly hint: string | undefined;
  constructor(message: string, details: ErrorDetails = {}) {
    const prefix = details.op !== undefined ? `${details.op}: ` : "";
    const suffix = details.hint !== undefined ? ` ${details.hint}` : "";
    super(prefix + message + suffix);
    this.name = new.target.name;
    this.op = details.op;
    this.shapes = details.shapes;
    this.dtype = details.dtype;
    this.hint = details.hint;
  }
}

/** Shapes that do not fit the op's rule (broadcasting, matmul, reshape …). */
export class ShapeError extends NablaError {}
/** An axis out of range or repeated. */
export class AxisError extends NablaError {}
/** Mixed or unsupported dtypes. */
export class DTypeError extends NablaError {}
/** A value outside the op's domain, or a non-finite value where it matters. */
export class ValueError extends NablaError {}
/** Misuse of the autograd engine (freed graph, non-scalar backward without gradOut …). */
export class AutogradError extends NablaError {}
/** An op produced NaN/Inf while anomaly mode was on. */
export class AnomalyError extends NablaError {}
/** gradcheck/gradgradcheck found analytic and numeric gradients that disagree. */
export class GradcheckError extends NablaError {
  constructor(
    message: string,
    readonly report: {
      readonly input: number;
      readonly index: readonly number[];
      readonly analytic: number;
      readonly numeric: number;
      readonly relError: number;
    },
  ) {
    super(message, { op: "gradcheck" });
  }
}
