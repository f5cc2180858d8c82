// ONNX export of a trained Sequential model (opset 13), built with onnx-proto (the ONNX protobuf
// schema compiled for protobufjs), so a model trained with nabla moves to ONNX Runtime or PyTorch.
// Input "input" [batch, C, H, W] float32; output "logits" [batch, classes]. Dropout is dropped (the
// export is for inference); BatchNorm uses its running statistics.
import onnxProto from "onnx-proto";
import type { Tensor } from "../autograd/tensor.js";
import { AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, MaxPool2d } from "../nn/conv-modules.js";
import { Identity, LeakyReLU, Linear, type Module, ReLU, type Sequential, Sigmoid, Tanh } from "../nn/modules.js";
import { poolAttrs, convAttrs } from "../nn/vision.js";
import { ValueError } from "../tensor/errors.js";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

interface Node { opType: string; input: string[]; output: string[]; name: string; attribute: object[] }

const ints = (name: string, v: readonly number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...v] });
const int = (name: string, v: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
const float = (name: string, v: number) => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });

const isA = (m: Module, cls: new () => Module): boolean => m instanceof cls;

/** A float32 initializer holding a tensor's numbers. */
function initializer(name: string, t: Tensor) {
  return { name, dims: [...t.shape], dataType: FLOAT, floatData: Array.from(t.data) };
}

/** ONNX bytes of `model` for inputs [batch, ...input]. Throws for layers ONNX export does not cover. */
export function exportOnnx(model: Sequential, input: readonly number[], o: { name?: string; classes?: readonly string[] } = {}): Uint8Array {
  const nodes: Node[] = [];
  const inits: ReturnType<typeof initializer>[] = [];
  let cur = "input";
  model.layers.forEach((m: Module, i) => {
    const out = `h${i + 1}`;
    const node = (opType: string, inputs: string[], attribute: object[] = []): void => { nodes.push({ opType, input: [cur, ...inputs], output: [out], name: `${opType.toLowerCase()}_${i + 1}`, attribute }); cur = out; };
    const param = (suffix: string, t: Tensor | null): string[] => {
      if (t === null) return [];
      inits.push(initializer(`${i}.${suffix}`, t));
      return [`${i}.${suffix}`];
    };
    if (m instanceof Conv2d) {
      const a = convAttrs(m.options);
      node("Conv", [...param("weight", m.weight), ...param("bias", m.bias)], [
        ints("kernel_shape", m.weight.shape.slice(2)), ints("strides", a.stride), ints("pads", [a.padding[0], a.padding[1], a.padding[0], a.padding[1]]), ints("dilations", a.dilation), int("group", a.groups),
      ]);
    } else if (m instanceof Linear) {
      node("Gemm", [...param("weight", m.weight), ...param("bias", m.bias)], [int("transB", 1)]);
    } else if (m instanceof MaxPool2d || m instanceof AvgPool2d) {
      const a = poolAttrs("export", m.kernelSize, m.options);
      const common = [ints("kernel_shape", a.kernel), ints("strides", a.stride), ints("pads", [a.padding[0], a.padding[1], a.padding[0], a.padding[1]])];
      if (m instanceof MaxPool2d) node("MaxPool", [], [...common, ints("dilations", a.dilation)]);
      else node("AveragePool", [], [...common, int("count_include_pad", 1)]);
    } else if (m instanceof AdaptiveAvgPool2d) {
      const s = typeof m.outputSize === "number" ? [m.outputSize, m.outputSize] : m.outputSize;
      if (s[0] !== 1 || s[1] !== 1) throw new ValueError(`layer ${i + 1}: ONNX export covers AdaptiveAvgPool2d to 1×1 only (GlobalAveragePool), got ${JSON.stringify(m.outputSize)}.`, { op: "exportOnnx" });
      node("GlobalAveragePool", []);
    } else if (m instanceof BatchNorm2d) {
      if (m.weight === null || m.bias === null) throw new ValueError(`layer ${i + 1}: ONNX export needs an affine BatchNorm2d.`, { op: "exportOnnx" });
      node("BatchNormalization", [...param("weight", m.weight), ...param("bias", m.bias), ...param("runningMean", m.runningMean), ...param("runningVar", m.runningVar)], [float("epsilon", m.o.eps ?? 1e-5)]);
    } else if (m instanceof Flatten) {
      if (m.startAxis !== 1 || m.endAxis !== -1) throw new ValueError(`layer ${i + 1}: ONNX export covers Flatten(1, −1) only.`, { op: "exportOnnx" });
      node("Flatten", [], [int("axis", 1)]);
    } else if (m instanceof LeakyReLU) node("LeakyRelu", [], [float("alpha", m.negativeSlope)]);
    else if (m instanceof Dropout) return;
    else {
      // NOTE: ReLU, Sigmoid, Tanh and Identity are structurally plain Modules, so they are told apart by class.
      const simple = [[ReLU, "Relu"], [Sigmoid, "Sigmoid"], [Tanh, "Tanh"], [Identity, "Identity"]] as const;
      const op = simple.find(([cls]) => isA(m, cls))?.[1];
      if (op === undefined) throw new ValueError(`layer ${i + 1} (${m.constructor.name}) has no ONNX export.`, { op: "exportOnnx" });
      node(op, []);
    }
  });
  const last = nodes[nodes.length - 1];
  if (last === undefined) throw new ValueError("the model has no layer to export.", { op: "exportOnnx" });
  last.output = ["logits"];
  const dim = (v: number | string) => (typeof v === "number" ? { dimValue: v } : { dimParam: v });
  const tensorType = (dims: (number | string)[]) => ({ tensorType: { elemType: FLOAT, shape: { dim: dims.map(dim) } } });
  const outFeatures = (model.layers.filter((m): m is Linear => m instanceof Linear).pop())?.outFeatures ?? 0;
  const proto = onnx.ModelProto.fromObject({
    irVersion: 7,
    producerName: "nabla",
    producerVersion: "0.1.0",
    opsetImport: [{ domain: "", version: 13 }],
    metadataProps: o.classes === undefined ? [] : [{ key: "classes", value: JSON.stringify(o.classes) }],
    graph: {
      name: o.name ?? "nabla_model",
      node: nodes,
      initializer: inits,
      input: [{ name: "input", type: tensorType(["batch", ...input]) }],
      output: [{ name: "logits", type: tensorType(outFeatures > 0 ? ["batch", outFeatures] : ["batch"]) }],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
