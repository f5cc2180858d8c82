// Entry point of the `nabla` command: parses arguments (commander) and dispatches to one file per
// subcommand. Output goes through `io` so tests can capture it. Subcommands load on demand, so
// `nabla --help` does not pay for the engine, and only the drawing commands load Vega and Graphviz.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { NablaError } from "../tensor/errors.js";
import { registerExtraCommands } from "./commands-extra.js";
import { registerFitCommands } from "./commands-fit.js";
import { packageRoot } from "./package-root.js";
import type { Format } from "./solve.js";

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
// A stack overflow is the input's size meeting a limit of nabla's recursive printers (a statement
// of thousands of factors): an input error, with what to do about it.
function internalError(e: unknown, io: Io): number {
  const overflow = e instanceof RangeError && /call stack/i.test(e.message);
  if (overflow) io.err("nabla: the input is too large or too deeply nested to process (maximum call stack size exceeded); split long formulas into several statements.\n");
  else io.err(`nabla: internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}. This is a bug in nabla; NABLA_DEBUG=1 prints the stack trace.\n`);
  if (process.env.NABLA_DEBUG !== undefined && e instanceof Error && e.stack !== undefined) io.err(`${e.stack}\n`);
  return overflow ? EXIT.error : EXIT.internal;
}

let cachedVersion: string | undefined;

/** nabla's version, from its package.json. */
export function version(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  return cachedVersion;
}

/** Runs the CLI; returns the exit status (EXIT). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let status = 0;
  const out = (s: string): void => io.out(s);
  const program = new Command()
    .name("nabla")
    .description("Backpropagation you can see, check and trust.")
    .version(version(), "-V, --version", "print nabla's version")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  program.command("demo")
    .description("differentiate the seed graph a = x·y + z, b = a·(x + x), w = a·b + b")
    .argument("[values...]", "x=NUM y=NUM z=NUM")
    .action(async (values: string[]) => {
      const { demo } = await import("./demo.js");
      status = demo(values, (s) => out(`${s}\n`));
    });
  program.command("solve")
    .description("print the worked solution of a problem file")
    .argument("<file>", "problem file (YAML or JSON)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md", "latex", "json"]).default("text"))
    .option("-d, --digits <n>", "digits shown (display only)", intArg)
    .option("--full", "print every iteration and every sample in full")
    .option("--standalone", "with --format latex: a complete document for pdflatex")
    .option("--symbolic", "the gradients in symbols (as nabla derive), checked against autograd")
    .option("--randomize", "a variant with new numbers (inputs and parameters; targets and 0/1 inputs kept) and its full solution")
    .option("--seed <seed>", "seed of --randomize", (v) => Number(v), 1)
    .action(async (file: string, o: { format: Format; digits?: number; full?: boolean; standalone?: boolean; symbolic?: boolean; randomize?: boolean; seed: number }, cmd: Command) => {
      if (o.standalone === true && o.format !== "latex") cmd.error("error: --standalone needs --format latex", { exitCode: EXIT.usage });
      if (o.symbolic === true) {
        const { symbolicSolveCommand } = await import("./derive.js");
        out(symbolicSolveCommand(file, o.format));
        return;
      }
      const { solveCommand } = await import("./solve.js");
      out(solveCommand(file, { format: o.format, ...(o.digits === undefined ? {} : { digits: o.digits }), full: o.full === true, standalone: o.standalone === true, ...(o.randomize === true ? { randomize: o.seed } : {}) }, progress(io)));
    });
  program.command("check")
    .description("check a student's answers against the solution of a problem file")
    .argument("<file>", "problem file")
    .argument("<answers>", "answers file (YAML: quantity → number, list, or formula in quotes)")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json"]).default("text"))
    .action(async (file: string, answers: string, o: { format: "text" | "json" }) => {
      const { checkCommand } = await import("./check.js");
      const [text, code] = checkCommand(file, answers, o.format);
      out(text);
      status = code;
    });
  program.command("graph")
    .description("draw the computational graph of an expression or a problem file")
    .argument("<expression-or-file>", 'statements like "a = x*y + z; w = a*a", or a problem file')
    .option("--at <assignments...>", "values: x=1 y=2 v=[1,2]", [])
    .addOption(new Option("-f, --format <format>", "output format (default: the output's extension, else svg)").choices(["svg", "png", "dot"]))
    .option("-o, --output <file>", "write to a file (required for png)")
    .option("-d, --digits <n>", "digits shown", intArg, 4)
    .action(async (target: string, o: { at: string[]; format?: "svg" | "png" | "dot"; output?: string; digits: number }) => {
      const { graphCommand } = await import("./graph.js");
      out(await graphCommand(target, { at: o.at, digits: o.digits, ...(o.format === undefined ? {} : { format: o.format }), ...(o.output === undefined ? {} : { output: o.output }) }));
    });
  const plot = program.command("plot").description("plots rendered with Vega-Lite (SVG or PNG by the output's extension)");
  plot.command("activations")
    .description("activation functions and, with --derivative, their derivatives by autograd")
    .option("--fn <names>", "comma-separated: relu, leaky-relu, gelu, gelu-tanh, tanh, sigmoid, softplus, elu, silu", "gelu,leaky-relu,relu,tanh,softplus")
    .option("--derivative", "also plot the derivatives")
    .option("--range <lo,hi>", "x range", "-4,4")
    .requiredOption("-o, --output <file>", "output .svg, .png or .json (the spec)")
    .action(async (o: { fn: string; derivative?: boolean; range: string; output: string }) => {
      const { plotActivations } = await import("./plot.js");
      const { wroteLine } = await import("./write-output.js");
      out(wroteLine(o.output, await plotActivations(o.fn, { derivative: o.derivative === true, range: o.range, output: o.output })));
    });
  plot.command("curves")
    .description("loss and prediction against step for one or more runs (problem files or saved JSON solutions)")
    .argument("<files...>")
    .requiredOption("-o, --output <file>", "output .svg, .png or .json (the spec)")
    .option("--grad <name>", "also plot |∂L/∂name| per step (default: the argument of a sigmoid output)")
    .option("--title <text>", "plot title")
    .action(async (files: string[], o: { output: string; grad?: string; title?: string }) => {
      const { plotCurves } = await import("./plot.js");
      const { wroteLine } = await import("./write-output.js");
      const onIteration = progress(io);
      out(wroteLine(o.output, await plotCurves(files, { output: o.output, ...(o.grad === undefined ? {} : { grad: o.grad }), ...(o.title === undefined ? {} : { title: o.title }), ...(onIteration === undefined ? {} : { onIteration }) })));
    });
  program.command("train")
    .description("run a problem's training (with a progress bar) and print its summary; --plot saves the curves")
    .argument("<file>")
    .option("--plot <file>", "save learning curves (.svg, .png or .json)")
    .action(async (file: string, o: { plot?: string }) => {
      const { trainCommand } = await import("./train.js");
      await trainCommand(file, o, out, progress(io));
    });
  registerExtraCommands(program, out, (code) => { status = code; });
  registerFitCommands(program, io);
  program.command("examples")
    .description("list the bundled example problems")
    .action(async () => {
      const { listExamples } = await import("./examples.js");
      out(`${listExamples()}\n`);
    });
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
