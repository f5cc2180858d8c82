// Entry point of the `nabla` command: parses arguments (commander) and dispatches to one file per
// subcommand. Output goes through `io` so tests can capture it.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { NablaError, ValueError } from "../tensor/errors.js";
import { checkCommand } from "./check.js";
import { demo } from "./demo.js";
import { casesCommand, gradeCommand } from "./cases.js";
import { deriveCommand, lossFromUpdateCommand } from "./derive.js";
import { writeOutput } from "./write-output.js";
import { listExamples } from "./examples.js";
import { graphCommand } from "./graph.js";
import { checkPlotOutput, plotActivations, plotCurves } from "./plot.js";
import { type Format, solveCommand } from "./solve.js";

/** Where the CLI writes. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY?: boolean;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY };

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
  program.command("derive")
    .description("gradients in symbols (matrix calculus), checked against autograd at random points and sizes")
    .argument("[statements]", 'e.g. "L = 0.5*(y - sigmoid(w\'@x + b))^2"; statements separated by ";" or new lines')
    .option("--wrt <names>", "comma-separated inputs to differentiate with respect to")
    .option("--from-update <rule>", 'derive the loss an update rule descends, e.g. "w += eta*(y - yhat)*x" (with --model)')
    .option("--model <statement>", 'the model of --from-update, e.g. "yhat = tanh(b + w\'@x)"')
    .option("--check <loss>", 'with --from-update: judge a proposed loss (in z, y and yhat), e.g. "C = -(y - yhat)^2/2"')
    .addOption(new Option("--layout <layout>", "matrix-calculus layout").choices(["numerator", "denominator"]).default("denominator"))
    .option("--shapes <spec>", 'input shapes, e.g. "x:n, w:n, W:m×n" (vectors are columns; default: scalars)')
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md", "latex", "json"]).default("text"))
    .action((source: string | undefined, o: { wrt?: string; layout: "numerator" | "denominator"; shapes?: string; format: "text" | "md" | "latex" | "json"; fromUpdate?: string; model?: string; check?: string }) => {
      if (o.fromUpdate !== undefined) {
        const [text, code] = lossFromUpdateCommand(o.fromUpdate, o.model, o.check, o.format);
        io.out(text);
        status = code;
        return;
      }
      if (source === undefined || o.wrt === undefined) throw new ValueError("give the statements and --wrt (or --from-update with --model).", { op: "derive" });
      io.out(deriveCommand(source, { wrt: o.wrt, layout: o.layout, format: o.format, ...(o.shapes === undefined ? {} : { shapes: o.shapes }) }));
    });
  program.command("cases")
    .description("seeded test cases (inputs, upstream gradient, expected outputs and gradients) for a from-scratch layer; see docs/cases.md")
    .requiredOption("--layer <layer>", "linear, relu, sigmoid, tanh, mse, bce or cross-entropy")
    .option("--n <count>", "number of cases", (v) => Number(v), 20)
    .option("--seed <seed>", "random seed", (v) => Number(v), 1)
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action((o: { layer: string; n: number; seed: number; output?: string }) => {
      const text = casesCommand(o.layer, o.n, o.seed);
      if (o.output === undefined) io.out(text);
      else { writeOutput(o.output, text, "cases"); io.out(`wrote ${o.output}\n`); }
    });
  program.command("grade")
    .description("grade a submission's results against a case file (exit 0 only when every check passes)")
    .argument("<cases>", "cases.json from nabla cases")
    .argument("<results>", "results.json (e.g. from examples/grade_runner.py)")
    .action((cases: string, results: string) => {
      const [text, code] = gradeCommand(cases, results);
      io.out(text);
      status = code;
    });
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
