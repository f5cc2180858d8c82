// The conv-net subcommands (`fit` …), registered on the main program; each loads its module on demand.
import { type Command, InvalidArgumentError } from "commander";
import { DEFAULT_DREAM } from "../dream/defaults.js";
import type { Io } from "./main.js";

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === "") throw new InvalidArgumentError("expected a number ≥ 0");
  return n;
}

function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0");
  return n;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** Adds `fit`, `dream` and `export` to `program`. */
export function registerFitCommands(program: Command, io: Io): void {
  program.command("fit")
    .description("train the classifier a model file describes on Fashion-MNIST; saves weights (safetensors) after every epoch")
    .argument("<file>", "model file (YAML or JSON): layers, optimizer, training")
    .option("-o, --output <file>", "weights file (.safetensors)", "model.safetensors")
    .option("--data <dir>", "directory with the IDX files (default: Debian's /usr/share/datasets/fashion-mnist)")
    .option("--curves <file>", "learning curves (.svg, .png or .json)")
    .option("--epochs <n>", "override the file's number of epochs", positiveInt)
    .option("--train-limit <n>", "use only the first n training images", positiveInt)
    .option("--test-limit <n>", "use only the first n test images", positiveInt)
    .action(async (file: string, o: { output: string; data?: string; curves?: string; epochs?: number; trainLimit?: number; testLimit?: number }) => {
      const { fitCommand } = await import("./fit.js");
      const say = (s: string): void => io.out(`${s}\n`);
      // NOTE: without a terminal (a log file), the progress line is printed as a line every tenth of an epoch.
      let tenth = -1;
      const bar = io.isTTY === true
        ? (s: string, done: boolean) => io.err(`\r${s}\u001b[K${done ? "\n" : ""}`)
        : (s: string, _done: boolean, fraction: number) => {
          const k = Math.floor(fraction * 10);
          if (k !== tenth && k < 10) io.err(`${s}\n`);
          tenth = k;
        };
      await fitCommand(file, o, say, bar);
    });
  program.command("dream")
    .description("class visualisation: optimise an image to raise a class's logit (or a middle layer's channel); PNG, or a grid of every class")
    .option("--model <file>", "trained model (.safetensors from nabla fit; default: the shipped Fashion-MNIST CNN)")
    .option("--class <k>", "class number or name, or all for a grid (default all)")
    .option("--layer <n>", "visualise a middle layer: its number (1 = the first layer of the model file)", positiveInt)
    .option("--channel <c>", "with --layer: the channel (or feature) to raise, from 0", count)
    .option("-o, --output <file>", "output PNG", "dream.png")
    .option("--steps <n>", `gradient steps per octave (default ${DEFAULT_DREAM.steps})`, positiveInt)
    .option("--lr <x>", `step size in pixels per mean gradient (default ${DEFAULT_DREAM.lr})`, nonNegative)
    .option("--jitter <px>", `largest random shift per step (default ${DEFAULT_DREAM.jitter}; 0 off)`, count)
    .option("--blur <sigma>", `blur the image with this σ (default ${DEFAULT_DREAM.blurSigma}; 0 off)`, nonNegative)
    .option("--blur-every <n>", `blur the image every n steps (default ${DEFAULT_DREAM.blurEvery})`, positiveInt)
    .option("--grad-blur <sigma>", `blur the gradient with this σ (default ${DEFAULT_DREAM.gradBlurSigma}; 0 off)`, nonNegative)
    .option("--no-clamp", "do not clamp pixels to [0, 1]")
    .option("--weight-decay <lambda>", `L2 penalty λ‖x‖² on the image (default ${DEFAULT_DREAM.weightDecay})`, nonNegative)
    .option("--tv <lambda>", `total-variation prior λ·Σ √(Δx² + ε) + √(Δy² + ε) on the image (default ${DEFAULT_DREAM.tvWeight}; 0 off)`, nonNegative)
    .option("--tv-epsilon <eps>", `ε of the smoothed total variation (default ${DEFAULT_DREAM.tvEpsilon})`, nonNegative)
    .option("--octaves <n>", `number of scales (default ${DEFAULT_DREAM.octaves})`, positiveInt)
    .option("--octave-scale <f>", `factor between scales (default ${DEFAULT_DREAM.octaveScale})`, nonNegative)
    .option("--clip <c>", `largest change of a pixel per step (default ${DEFAULT_DREAM.clip}; 0 off)`, nonNegative)
    .option("--until-probability <p>", `keep stepping until the class probability reaches p (default ${DEFAULT_DREAM.untilProbability}; 0 off)`, nonNegative)
    .option("--extra-steps <n>", `at most this many extra steps for --until-probability (default ${DEFAULT_DREAM.extraSteps})`, count)
    .option("--polish <n>", `after the ascent, steps that lower the image's total variation while the class keeps --until-probability (default ${DEFAULT_DREAM.polish}; 0 off)`, count)
    .option("--polish-lr <x>", `first polish step, falling to a twentieth by the last (default ${DEFAULT_DREAM.polishLr})`, nonNegative)
    .option("--last-octave <f>", `resolution of the last octave as a fraction of the image (default ${DEFAULT_DREAM.lastOctave})`, nonNegative)
    .option("--init <gray>", `gray level of the starting image (default ${DEFAULT_DREAM.init})`, nonNegative)
    .option("--seed <n>", "seed of the initial noise and the jitter", count)
    .option("--plain", "plain gradient ascent: every regulariser off (options given still apply)")
    .option("--scale <n>", "pixels per image pixel in the PNG", positiveInt, 8)
    .option("--no-stretch", "write pixel values as they are (default: the brightest pixel is shown white)")
    .option("--history <file>", "write the per-step history (probability, loss, total variation) as JSON")
    .action(async (o: { model?: string; class?: string; layer?: number; channel?: number; output: string; steps?: number; lr?: number; jitter?: number; blur?: number; blurEvery?: number; gradBlur?: number; clamp: boolean; weightDecay?: number; tv?: number; tvEpsilon?: number; octaves?: number; octaveScale?: number; clip?: number; seed?: number; untilProbability?: number; extraSteps?: number; polish?: number; polishLr?: number; lastOctave?: number; init?: number; plain?: boolean; scale: number; stretch: boolean; history?: string }) => {
      const { dreamCommand } = await import("./dream.js");
      const knobs: Record<string, number | boolean> = {};
      const put = (k: string, v: number | boolean | undefined): void => { if (v !== undefined) knobs[k] = v; };
      put("steps", o.steps); put("lr", o.lr); put("jitter", o.jitter); put("blurSigma", o.blur); put("blurEvery", o.blurEvery); put("gradBlurSigma", o.gradBlur);
      put("weightDecay", o.weightDecay); put("tvWeight", o.tv); put("tvEpsilon", o.tvEpsilon); put("octaves", o.octaves); put("octaveScale", o.octaveScale); put("seed", o.seed);
      put("untilProbability", o.untilProbability); put("extraSteps", o.extraSteps); put("polish", o.polish); put("polishLr", o.polishLr); put("lastOctave", o.lastOctave); put("init", o.init);
      put("clip", o.clip === undefined ? undefined : o.clip === 0 ? Infinity : o.clip);
      if (!o.clamp) knobs.clamp = false;
      const bar = io.isTTY === true ? (s: string, done: boolean) => io.err(`\r${s}\u001b[K${done ? "\n" : ""}`) : null;
      const lines = await dreamCommand({ output: o.output, scale: o.scale, stretch: o.stretch, knobs, plain: o.plain === true, ...(o.model === undefined ? {} : { model: o.model }), ...(o.class === undefined ? {} : { class: o.class }), ...(o.layer === undefined ? {} : { layer: o.layer }), ...(o.channel === undefined ? {} : { channel: o.channel }), ...(o.history === undefined ? {} : { history: o.history }) }, bar);
      io.out(`${lines.join("\n")}\n`);
    });
  program.command("export")
    .description("export a trained model (.safetensors from nabla fit) as ONNX, for ONNX Runtime or PyTorch")
    .argument("[model]", "model file (default: the shipped Fashion-MNIST CNN)")
    .option("--onnx <file>", "output .onnx file")
    .action(async (model: string | undefined, o: { onnx?: string }) => {
      const { defaultModelPath } = await import("./dream.js");
      const { exportCommand } = await import("./export.js");
      io.out(`${exportCommand(model ?? defaultModelPath(), o)}\n`);
    });
}
