// Entry point of the `nabla` command: parses arguments (commander) and dispatches to one file per
// subcommand. Output goes through `io` so tests can capture it.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { NablaError } from "../tensor/errors.js";
import { checkCommand } from "./check.js";
import { demo } from "./demo.js";
import { listExamples } from "./examples.js";
import { fitCommand } from "./fit.js";
import { defaultModelPath, dreamCommand } from "./dream.js";
import { exportCommand } from "./export.js";
import { graphCommand } from "./graph.js";
import { checkPlotOutput, plotActivations, plotCurves } from "./plot.js";
import { type Format, solveCommand } from "./solve.js";
import { DEFAULT_DREAM } from "../dream/dream.js";

/** Where the CLI writes. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY?: boolean;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY };

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === "") throw new InvalidArgumentError("expected a number ≥ 0");
  return n;
}

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 17) throw new InvalidArgumentError("expected an integer from 1 to 17");
  return n;
}

function progress(io: Io): ((i: number, n: number, loss: number) => void) | undefined {
  if (io.isTTY !== true) return undefined;
  return (i, n, loss) => {
    if (n < 200 || (i % Math.ceil(n / 50) !== 0 && i !== n)) return;
    const w = 30, done = Math.round((w * i) / n);
    io.err(`\r[${"#".repeat(done)}${".".repeat(w - done)}] ${i}/${n}  loss ${loss.toPrecision(5)}${i === n ? "\n" : ""}`);
  };
}

/** Exit statuses (README "Exit status"). */
export const EXIT = { ok: 0, error: 1, usage: 2, internal: 3 } as const;

// A one-line report of an error nabla did not throw on purpose (a bug), instead of a stack trace.
function internalError(e: unknown, io: Io): number {
  const message = e instanceof RangeError && /call stack/i.test(e.message)
    ? "the input is too large or too deeply nested to process (maximum call stack size exceeded)"
    : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  io.err(`nabla: internal error: ${message}. This is a bug in nabla; NABLA_DEBUG=1 prints the stack trace.\n`);
  if (process.env.NABLA_DEBUG !== undefined && e instanceof Error && e.stack !== undefined) io.err(`${e.stack}\n`);
  return EXIT.internal;
}

/** Runs the CLI; returns the exit status (EXIT). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let status = 0;
  const program = new Command()
    .name("nabla")
    .description("Backpropagation you can see, check and trust.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  program.command("demo")
    .description("differentiate the seed graph a = x·y + z, b = a·(x + x), w = a·b + b")
    .argument("[values...]", "x=NUM y=NUM z=NUM")
    .action((values: string[]) => { status = demo(values, (s) => io.out(`${s}\n`)); });
  program.command("solve")
    .description("print the worked solution of a problem file")
    .argument("<file>", "problem file (YAML or JSON)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md", "latex", "json"]).default("text"))
    .option("-d, --digits <n>", "digits shown (display only)", intArg)
    .option("--full", "print every iteration in full")
    .action((file: string, o: { format: Format; digits?: number; full?: boolean }) => {
      io.out(solveCommand(file, { format: o.format, ...(o.digits === undefined ? {} : { digits: o.digits }), full: o.full === true }, progress(io)));
    });
  program.command("check")
    .description("check a student's answers against the solution of a problem file")
    .argument("<file>", "problem file")
    .argument("<answers>", "answers file (YAML: quantity → number, list, or formula in quotes)")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json"]).default("text"))
    .action((file: string, answers: string, o: { format: "text" | "json" }) => {
      const [out, code] = checkCommand(file, answers, o.format);
      io.out(out);
      status = code;
    });
  program.command("graph")
    .description("draw the computational graph of an expression or a problem file")
    .argument("<expression-or-file>", 'statements like "a = x*y + z; w = a*a", or a problem file')
    .option("--at <assignments...>", "values: x=1 y=2 v=[1,2]", [])
    .addOption(new Option("-f, --format <format>", "output format").choices(["svg", "png", "dot"]).default("svg"))
    .option("-o, --output <file>", "write to a file (required for png)")
    .option("-d, --digits <n>", "digits shown", intArg, 4)
    .action(async (target: string, o: { at: string[]; format: "svg" | "png" | "dot"; output?: string; digits: number }) => {
      io.out(await graphCommand(target, { at: o.at, format: o.format, digits: o.digits, ...(o.output === undefined ? {} : { output: o.output }) }));
    });
  const plot = program.command("plot").description("plots rendered with Vega-Lite (SVG or PNG by the output's extension)");
  plot.command("activations")
    .description("activation functions and, with --derivative, their derivatives by autograd")
    .option("--fn <names>", "comma-separated: relu, leaky-relu, gelu, gelu-tanh, tanh, sigmoid, softplus, elu, silu", "gelu,leaky-relu,relu,tanh,softplus")
    .option("--derivative", "also plot the derivatives")
    .option("--range <lo,hi>", "x range", "-4,4")
    .requiredOption("-o, --output <file>", "output .svg, .png or .json (the spec)")
    .action(async (o: { fn: string; derivative?: boolean; range: string; output: string }) => {
      await plotActivations(o.fn, { derivative: o.derivative === true, range: o.range, output: o.output });
      io.out(`wrote ${o.output}\n`);
    });
  plot.command("curves")
    .description("loss and prediction against step for one or more runs (problem files or saved JSON solutions)")
    .argument("<files...>")
    .requiredOption("-o, --output <file>", "output .svg, .png or .json (the spec)")
    .option("--grad <name>", "also plot |∂L/∂name| per step (default: the argument of a sigmoid output)")
    .option("--title <text>", "plot title")
    .action(async (files: string[], o: { output: string; grad?: string; title?: string }) => {
      await plotCurves(files, { output: o.output, ...(o.grad === undefined ? {} : { grad: o.grad }), ...(o.title === undefined ? {} : { title: o.title }), ...(progress(io) === undefined ? {} : { onIteration: progress(io) as (i: number, n: number, l: number) => void }) });
      io.out(`wrote ${o.output}\n`);
    });
  program.command("train")
    .description("run a problem's training (with a progress bar) and print its summary; --plot saves the curves")
    .argument("<file>")
    .option("--plot <file>", "save learning curves (.svg, .png or .json)")
    .action(async (file: string, o: { plot?: string }) => {
      if (o.plot !== undefined) checkPlotOutput(o.plot);
      io.out(solveCommand(file, { format: "text", summaryOnly: true }, progress(io)));
      if (o.plot !== undefined) {
        await plotCurves([file], { output: o.plot });
        io.out(`wrote ${o.plot}\n`);
      }
    });
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
    .option("--channel <c>", "with --layer: the channel (or feature) to raise, from 0", (v: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0"); return n; })
    .option("-o, --output <file>", "output PNG", "dream.png")
    .option("--steps <n>", `gradient steps per octave (default ${DEFAULT_DREAM.steps})`, positiveInt)
    .option("--lr <x>", `step size in pixels per mean gradient (default ${DEFAULT_DREAM.lr})`, nonNegative)
    .option("--jitter <px>", `largest random shift per step (default ${DEFAULT_DREAM.jitter}; 0 off)`, (v: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0"); return n; })
    .option("--blur <sigma>", `blur the image with this σ (default ${DEFAULT_DREAM.blurSigma}; 0 off)`, nonNegative)
    .option("--blur-every <n>", `blur the image every n steps (default ${DEFAULT_DREAM.blurEvery})`, positiveInt)
    .option("--grad-blur <sigma>", `blur the gradient with this σ (default ${DEFAULT_DREAM.gradBlurSigma}; 0 off)`, nonNegative)
    .option("--no-clamp", "do not clamp pixels to [0, 1]")
    .option("--weight-decay <lambda>", `L2 penalty λ‖x‖² on the image (default ${DEFAULT_DREAM.weightDecay})`, nonNegative)
    .option("--octaves <n>", `number of scales (default ${DEFAULT_DREAM.octaves})`, positiveInt)
    .option("--octave-scale <f>", `factor between scales (default ${DEFAULT_DREAM.octaveScale})`, nonNegative)
    .option("--clip <c>", `largest change of a pixel per step (default ${DEFAULT_DREAM.clip}; 0 off)`, nonNegative)
    .option("--until-probability <p>", `keep stepping until the class probability reaches p (default ${DEFAULT_DREAM.untilProbability}; 0 off)`, nonNegative)
    .option("--extra-steps <n>", `at most this many extra steps for --until-probability (default ${DEFAULT_DREAM.extraSteps})`, (v: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0"); return n; })
    .option("--last-octave <f>", `resolution of the last octave as a fraction of the image (default ${DEFAULT_DREAM.lastOctave})`, nonNegative)
    .option("--init <gray>", `gray level of the starting image (default ${DEFAULT_DREAM.init})`, nonNegative)
    .option("--seed <n>", "seed of the initial noise and the jitter", (v: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0"); return n; })
    .option("--plain", "plain gradient ascent: every regulariser off (options given still apply)")
    .option("--scale <n>", "pixels per image pixel in the PNG", positiveInt, 8)
    .option("--no-stretch", "write pixel values as they are (default: the brightest pixel is shown white)")
    .option("--history <file>", "write the per-step history (probability, loss, total variation) as JSON")
    .action(async (o: { model?: string; class?: string; layer?: number; channel?: number; output: string; steps?: number; lr?: number; jitter?: number; blur?: number; blurEvery?: number; gradBlur?: number; clamp: boolean; weightDecay?: number; octaves?: number; octaveScale?: number; clip?: number; seed?: number; untilProbability?: number; extraSteps?: number; lastOctave?: number; init?: number; plain?: boolean; scale: number; stretch: boolean; history?: string }) => {
      const knobs: Record<string, number | boolean> = {};
      const put = (k: string, v: number | boolean | undefined): void => { if (v !== undefined) knobs[k] = v; };
      put("steps", o.steps); put("lr", o.lr); put("jitter", o.jitter); put("blurSigma", o.blur); put("blurEvery", o.blurEvery); put("gradBlurSigma", o.gradBlur);
      put("weightDecay", o.weightDecay); put("octaves", o.octaves); put("octaveScale", o.octaveScale); put("seed", o.seed);
      put("untilProbability", o.untilProbability); put("extraSteps", o.extraSteps); put("lastOctave", o.lastOctave); put("init", o.init);
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
    .action((model: string | undefined, o: { onnx?: string }) => { io.out(`${exportCommand(model ?? defaultModelPath(), o)}\n`); });
  program.command("examples")
    .description("list the bundled example problems")
    .action(() => { io.out(`${listExamples()}\n`); });
  try {
    await program.parseAsync(argv, { from: "user" });
    if (argv.length === 0) io.out(program.helpInformation());
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof NablaError) {
      io.err(`nabla: ${e.message}\n`);
      return EXIT.error;
    }
    return internalError(e, io);
  }
}

/**
 * The `nabla` binary: `main` on the process's streams. When the reader of stdout goes away
 * (`nabla solve … | head -1`), it stops quietly with status 0 instead of an EPIPE trace.
 */
export async function cli(argv: readonly string[]): Promise<number> {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") process.stderr.write(`nabla: cannot write to stdout: ${e.message}\n`);
    process.exit(e.code === "EPIPE" ? EXIT.ok : EXIT.error);
  });
  process.stderr.on("error", () => undefined); // nowhere left to report it
  return main(argv);
}
