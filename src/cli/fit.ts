// `nabla fit MODEL.yaml`: trains the model a file describes on Fashion-MNIST (IDX files found on
// disk, never downloaded), prints per-epoch loss and accuracy with a progress bar, saves the weights
// atomically after every epoch (safetensors) and writes the learning curves.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { FASHION_MNIST_CLASSES, loadImageSet, locateDataset, takeFirst } from "../data/datasets.js";
import { clock, progressLine } from "../data/progress.js";
import { NablaError, ValueError } from "../tensor/errors.js";
import { saveModel } from "../train/checkpoint.js";
import { type EpochRecord, fit } from "../train/fit.js";
import { buildModel, makeOptimizer, type ModelFile, parseModelFile } from "../train/model-spec.js";
import { epochCurvesSpec } from "../viz/plot.js";
import { checkPlotOutput, writePlot } from "./plot.js";
import { checkOutputPath } from "./write-output.js";

/** Options of `nabla fit`. */
export interface FitCommandOptions {
  readonly data?: string;
  readonly output: string;
  readonly curves?: string;
  readonly epochs?: number;
  readonly trainLimit?: number;
  readonly testLimit?: number;
}

/** Reads and validates a model file (YAML or JSON). */
export function readModelFile(path: string): ModelFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ValueError(code === "ENOENT" ? `${path} does not exist.` : `cannot read ${path}: ${(e as Error).message}`, { op: "fit" });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ValueError(`${path} is not valid YAML: ${(e as Error).message.split("\n")[0] ?? ""}`, { op: "fit" });
  }
  return parseModelFile(raw, path);
}

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;

/** Runs `nabla fit`; `say` prints a line, `bar` redraws the progress line (or null for none). */
export async function fitCommand(file: string, o: FitCommandOptions, say: (s: string) => void, bar: ((s: string, done: boolean, fraction: number) => void) | null): Promise<EpochRecord[]> {
  const spec = readModelFile(file);
  checkOutputPath(o.output, "fit");
  if (!/\.safetensors$/i.test(o.output)) throw new NablaError(`the weights file must end in .safetensors, got ${o.output}.`, { op: "fit" });
  if (o.curves !== undefined) checkPlotOutput(o.curves);
  const dir = locateDataset(o.data);
  const trainLimit = o.trainLimit ?? spec.data.trainLimit, testLimit = o.testLimit ?? spec.data.testLimit;
  let train = loadImageSet(dir, "train"), test = loadImageSet(dir, "test");
  if (trainLimit !== undefined) train = takeFirst(train, trainLimit);
  if (testLimit !== undefined) test = takeFirst(test, testLimit);
  const [c, h, w] = spec.model.input;
  if (c !== 1 || h !== train.height || w !== train.width) throw new ValueError(`the model's input [${spec.model.input.join(", ")}] does not match the data's images [1, ${train.height}, ${train.width}].`, { op: "fit" });
  const t = spec.training;
  const epochs = o.epochs ?? t.epochs;
  const model = buildModel(spec.model, { seed: t.seed, dtype: t.dtype });
  const opt = makeOptimizer(spec.optimizer, model.parameters());
  const nParams = model.parameters().reduce((a, p) => a + p.size, 0);
  say(`data: ${train.count} training and ${test.count} test images from ${dir}`);
  say(`model: ${spec.model.layers.length} layers, ${nParams} parameters; ${spec.optimizer.kind} lr ${spec.optimizer.lr}, ${epochs} epochs of batch ${t.batchSize}, seed ${t.seed}, ${t.dtype}`);
  const history: EpochRecord[] = [];
  let lastDraw = -Infinity, drawnEpoch = 0;
  fit(model, opt, train, test, {
    epochs, batchSize: t.batchSize, seed: t.seed, normalize: spec.data.normalize, dtype: t.dtype, schedule: t.schedule,
    onBatch(epoch, p, loss) {
      if (bar === null) return;
      const now = p.elapsed;
      if (epoch !== drawnEpoch) { drawnEpoch = epoch; lastDraw = -Infinity; }
      if (p.done < p.total && now - lastDraw < 0.25) return;
      lastDraw = now;
      bar(`epoch ${epoch}/${epochs} ${progressLine(p, `loss ${loss.toFixed(4)}`)}`, p.done === p.total, p.done / p.total);
    },
    onEpoch(r) {
      history.push(r);
      say(`epoch ${r.epoch}/${epochs}  train loss ${r.trainLoss.toFixed(4)} acc ${pct(r.trainAccuracy)}  test loss ${r.testLoss.toFixed(4)} acc ${pct(r.testAccuracy)}  ${r.examplesPerSecond.toFixed(0)} ex/s  ${clock(r.seconds)}`);
      saveModel(o.output, model, {
        arch: spec.model, normalize: spec.data.normalize, classes: FASHION_MNIST_CLASSES,
        extra: { source: file, seed: String(t.seed), epochs: `${r.epoch}/${epochs}`, testAccuracy: String(r.testAccuracy), testImages: String(test.count), history: JSON.stringify(history) },
      });
    },
  });
  say(`wrote ${o.output}`);
  if (o.curves !== undefined) {
    await writePlot(epochCurvesSpec(history, { title: `${spec.name ?? file}: learning curves` }), o.curves);
    say(`wrote ${o.curves}`);
  }
  return history;
}
