// The conv-net subcommands (`fit` …), registered on the main program; each loads its module on demand.
import { type Command, InvalidArgumentError } from "commander";
import type { Io } from "./main.js";

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** Adds `fit` to `program`. */
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
}
