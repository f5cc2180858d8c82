// Model files for `nabla fit`: the layers, the optimizer, the training run and the data, as YAML or
// JSON, validated with zod (unknown keys are errors). The same layer list travels inside a saved
// checkpoint, so a trained model rebuilds from its own file.
import { z } from "zod";
import { zeros } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, MaxPool2d } from "../nn/conv-modules.js";
import { GELU, LeakyReLU, Linear, type Module, ReLU, Sequential, Sigmoid, Tanh } from "../nn/modules.js";
import { Adam, AdamW, type Optimizer, SGD } from "../optim/optimizer.js";
import type { DType } from "../tensor/dtype.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";

const int = (min: number) => z.number().int().min(min);
const pairLike = (min: number) => z.union([int(min), z.tuple([int(min), int(min)])]);
const pool = z.union([int(1), z.object({ kernel: pairLike(1), stride: pairLike(1).optional(), padding: pairLike(0).optional() }).strict()]);

const layer = z.union([
  z.enum(["relu", "sigmoid", "tanh", "gelu", "flatten"]),
  z.object({ conv2d: z.object({ out: int(1), kernel: pairLike(1), stride: pairLike(1).optional(), padding: pairLike(0).optional(), dilation: pairLike(1).optional(), groups: int(1).optional(), bias: z.boolean().optional() }).strict() }).strict(),
  z.object({ linear: z.object({ out: int(1), bias: z.boolean().optional() }).strict() }).strict(),
  z.object({ maxpool2d: pool }).strict(),
  z.object({ avgpool2d: pool }).strict(),
  z.object({ "adaptive-avgpool2d": pairLike(1) }).strict(),
  z.object({ batchnorm2d: z.object({ eps: z.number().positive().optional(), momentum: z.number().min(0).max(1).optional() }).strict().nullable() }).strict(),
  z.object({ dropout: z.number().min(0).lt(1) }).strict(),
  z.object({ "leaky-relu": z.number() }).strict(),
]);

/** One layer of a model file. */
export type LayerSpec = z.infer<typeof layer>;

/** The architecture: input shape [C, H, W] (no batch axis) and the layers in order. */
export const architectureSchema = z.object({
  input: z.tuple([int(1), int(1), int(1)]),
  layers: z.array(layer).min(1),
}).strict();

export type Architecture = z.infer<typeof architectureSchema>;

/** A whole model file. */
export const modelFileSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  model: architectureSchema,
  data: z.object({
    dataset: z.literal("fashion-mnist").default("fashion-mnist"),
    normalize: z.object({ mean: z.number(), std: z.number().positive() }).strict().default({ mean: 0.286, std: 0.353 }),
    trainLimit: int(1).optional(),
    testLimit: int(1).optional(),
  }).strict().default({ dataset: "fashion-mnist", normalize: { mean: 0.286, std: 0.353 } }),
  optimizer: z.object({
    kind: z.enum(["sgd", "adam", "adamw"]),
    lr: z.number().positive(),
    momentum: z.number().min(0).optional(),
    weightDecay: z.number().min(0).optional(),
  }).strict(),
  training: z.object({
    epochs: int(1),
    batchSize: int(1),
    seed: int(0).default(0),
    dtype: z.enum(["float32", "float64"]).default("float32"),
    /** Cosine decay of the learning rate to 0 over the whole run (per batch). */
    schedule: z.enum(["constant", "cosine"]).default("constant"),
  }).strict(),
}).strict();

/** A validated model file. */
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Validates a parsed model file; errors name the field path. */
export function parseModelFile(raw: unknown, source: string): ModelFile {
  const r = modelFileSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue === undefined ? "" : issue.path.join(".");
  throw new ValueError(`${source}: ${where === "" ? "" : `${where}: `}${issue?.message ?? "invalid model file"}.`, { op: "model file" });
}

/** The shape one example has after `m` (batch axis dropped), found by running it on zeros. */
function shapeAfter(m: Module, shape: readonly number[], dtype: DType): number[] {
  return noGrad(() => {
    const was = m.training;
    m.eval();
    const y = m.call(zeros([1, ...shape], { dtype }));
    m.train(was);
    return y.shape.slice(1);
  });
}

/** Builds the layers (parameters drawn from `seed`, channel and feature counts inferred from the input). */
export function buildModel(arch: Architecture, o: { seed?: number; dtype?: DType } = {}): Sequential {
  const dtype = o.dtype ?? "float32";
  const g = new Random(o.seed ?? 0);
  let shape: number[] = [...arch.input];
  const mods: Module[] = [];
  arch.layers.forEach((spec, i) => {
    const m = makeLayer(spec, shape, g, dtype, i);
    try {
      shape = shapeAfter(m, shape, dtype);
    } catch (e) {
      if (e instanceof ShapeError || e instanceof ValueError) throw new ShapeError(`layer ${i + 1} (${describeLayer(spec)}) cannot take an input of shape [${shape.join(", ")}]: ${e.message}`, { op: "model" });
      throw e;
    }
    mods.push(m);
  });
  return new Sequential(...mods);
}

function makeLayer(spec: LayerSpec, shape: readonly number[], g: Random, dtype: DType, i: number): Module {
  if (typeof spec === "string") return spec === "relu" ? new ReLU() : spec === "sigmoid" ? new Sigmoid() : spec === "tanh" ? new Tanh() : spec === "gelu" ? new GELU() : new Flatten();
  const need = (n: number): number => {
    if (shape.length !== n) throw new ShapeError(`layer ${i + 1} (${describeLayer(spec)}) needs ${n === 3 ? "an image [C, H, W]" : "a flat vector"}, got [${shape.join(", ")}].`, { op: "model", hint: n === 1 ? "Add a flatten layer before it." : "" });
    return shape[0] as number;
  };
  if ("conv2d" in spec) {
    const c = spec.conv2d;
    return new Conv2d(need(3), c.out, c.kernel, { generator: g, dtype, ...(c.stride === undefined ? {} : { stride: c.stride }), ...(c.padding === undefined ? {} : { padding: c.padding }), ...(c.dilation === undefined ? {} : { dilation: c.dilation }), ...(c.groups === undefined ? {} : { groups: c.groups }), ...(c.bias === undefined ? {} : { bias: c.bias }) });
  }
  if ("linear" in spec) return new Linear(need(1), spec.linear.out, { generator: g, dtype, ...(spec.linear.bias === undefined ? {} : { bias: spec.linear.bias }) });
  if ("maxpool2d" in spec || "avgpool2d" in spec) {
    const p = "maxpool2d" in spec ? spec.maxpool2d : spec.avgpool2d;
    const k = typeof p === "number" ? p : p.kernel;
    const opts = typeof p === "number" ? {} : { ...(p.stride === undefined ? {} : { stride: p.stride }), ...(p.padding === undefined ? {} : { padding: p.padding }) };
    return "maxpool2d" in spec ? new MaxPool2d(k, opts) : new AvgPool2d(k, opts);
  }
  if ("adaptive-avgpool2d" in spec) return new AdaptiveAvgPool2d(spec["adaptive-avgpool2d"]);
  if ("batchnorm2d" in spec) {
    const b = spec.batchnorm2d ?? {};
    return new BatchNorm2d(need(3), { dtype, ...(b.eps === undefined ? {} : { eps: b.eps }), ...(b.momentum === undefined ? {} : { momentum: b.momentum }) });
  }
  if ("dropout" in spec) return new Dropout(spec.dropout, { seed: Math.floor(g.uniform() * 2 ** 31) });
  return new LeakyReLU(spec["leaky-relu"]);
}

/** A layer as one short line ("conv2d 32 3×3", "relu"). */
export function describeLayer(spec: LayerSpec): string {
  if (typeof spec === "string") return spec;
  const [name, v] = Object.entries(spec)[0] ?? ["?", null];
  return v === null || typeof v !== "object" ? `${name} ${JSON.stringify(v)}` : `${name} ${JSON.stringify(v).replace(/["{}]/g, "").replace(/,/g, ", ").replace(/:/g, " ")}`;
}

/** The optimizer a model file names, over `params`. */
export function makeOptimizer(spec: ModelFile["optimizer"], params: readonly Tensor[]): Optimizer {
  const wd = spec.weightDecay === undefined ? {} : { weightDecay: spec.weightDecay };
  if (spec.kind === "sgd") return new SGD(params, { lr: spec.lr, ...wd, ...(spec.momentum === undefined ? {} : { momentum: spec.momentum }) });
  if (spec.kind === "adamw") return new AdamW(params, { lr: spec.lr, ...wd });
  return new Adam(params, { lr: spec.lr, ...wd });
}
