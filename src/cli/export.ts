// `nabla export MODEL --onnx FILE`: a trained model (safetensors from `nabla fit`) as ONNX.
import { NablaError } from "../tensor/errors.js";
import { loadModel } from "../train/checkpoint.js";
import { exportOnnx } from "../train/onnx.js";
import { checkOutputPath, writeOutput } from "./write-output.js";

/** Writes the ONNX file; returns the line to print. */
export function exportCommand(model: string, o: { onnx?: string }): string {
  if (o.onnx === undefined) throw new NablaError("name the output with --onnx FILE (ONNX is the one export format).", { op: "export" });
  if (!/\.onnx$/i.test(o.onnx)) throw new NablaError(`the output must end in .onnx, got ${o.onnx}.`, { op: "export" });
  checkOutputPath(o.onnx, "export");
  const { model: m, info } = loadModel(model);
  const bytes = exportOnnx(m, info.arch.input, { classes: info.classes });
  writeOutput(o.onnx, bytes, "export");
  return `wrote ${o.onnx} (ONNX opset 13, input "input" [batch, ${info.arch.input.join(", ")}], output "logits")`;
}
