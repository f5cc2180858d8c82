// The training loop of `nabla fit`: seeded shuffling, mini-batches, softmax cross-entropy, one
// optimizer step per batch, and after every epoch the loss and accuracy on the test set.
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { batchesOf, type Normalize, order, toBatch } from "../data/batches.js";
import type { ImageSet } from "../data/datasets.js";
import { Progress, type ProgressState } from "../data/progress.js";
import { crossEntropy } from "../nn/losses.js";
import type { Module } from "../nn/modules.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { DType } from "../tensor/dtype.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";

/** One epoch's figures. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

/** Options of fit(). */
export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly normalize: Normalize;
  readonly dtype?: DType;
  /** Learning rate per step: constant, or cosine decay to 0 over the run. */
  readonly schedule?: "constant" | "cosine";
  /** Called after each batch with the epoch's progress and the running mean loss. */
  readonly onBatch?: (epoch: number, p: ProgressState, loss: number) => void;
  /** Called after each epoch (save a checkpoint here). */
  readonly onEpoch?: (r: EpochRecord) => void;
}

/** Loss and accuracy of `model` on `set` (eval mode, no graph, in batches). */
export function evaluate(model: Module, set: ImageSet, norm: Normalize, o: { dtype?: DType; batchSize?: number } = {}): { loss: number; accuracy: number; correct: number; predictions: Uint8Array } {
  const was = model.training;
  model.eval();
  let loss = 0, correct = 0;
  const predictions = new Uint8Array(set.count);
  noGrad(() => {
    for (const idx of batchesOf(order(set.count, null), o.batchSize ?? 500)) {
      const { x, y } = toBatch(set, idx, norm, o.dtype ?? "float32");
      const logits = model.call(x);
      loss += crossEntropy(logits, y, { reduction: "sum" }).item();
      const pred = logits.argmax(1);
      idx.forEach((k, b) => {
        predictions[k] = pred.data[b] as number;
        if (pred.data[b] === y.data[b]) correct++;
      });
    }
  });
  model.train(was);
  return { loss: loss / set.count, accuracy: correct / set.count, correct, predictions };
}

/** Trains `model` on `train` with `opt`; returns one record per epoch (test figures on `test`). */
export function fit(model: Module, opt: Optimizer, train: ImageSet, test: ImageSet, o: FitOptions): EpochRecord[] {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new ValueError(`epochs must be a positive integer, got ${o.epochs}.`, { op: "fit" });
  const rng = new Random(o.seed);
  const dtype = o.dtype ?? "float32";
  const history: EpochRecord[] = [];
  const stepsPerEpoch = Math.ceil(train.count / o.batchSize), total = stepsPerEpoch * o.epochs;
  const lr0 = opt.lr;
  let step = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    model.train();
    const progress = new Progress(train.count);
    let seen = 0, lossSum = 0, correct = 0;
    for (const idx of batchesOf(order(train.count, rng), o.batchSize)) {
      if (o.schedule === "cosine") opt.lr = (lr0 * (1 + Math.cos((Math.PI * step) / total))) / 2;
      const { x, y } = toBatch(train, idx, o.normalize, dtype);
      const logits: Tensor = model.call(x);
      const loss = crossEntropy(logits, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      step++;
      const l = loss.item();
      if (!Number.isFinite(l)) throw new ValueError(`the training loss became ${l} at epoch ${epoch}, step ${step}.`, { op: "fit", hint: "Lower the learning rate." });
      const pred = noGrad(() => logits.argmax(1));
      for (let b = 0; b < idx.length; b++) if (pred.data[b] === y.data[b]) correct++;
      seen += idx.length;
      lossSum += l * idx.length;
      o.onBatch?.(epoch, progress.at(seen), lossSum / seen);
    }
    const trained = progress.at(seen);
    const t = evaluate(model, test, o.normalize, { dtype });
    const r: EpochRecord = { epoch, trainLoss: lossSum / seen, trainAccuracy: correct / seen, testLoss: t.loss, testAccuracy: t.accuracy, seconds: trained.elapsed, examplesPerSecond: trained.rate };
    history.push(r);
    o.onEpoch?.(r);
  }
  return history;
}
