// Entry point of the `nabla` command: dispatches to one file per subcommand.
import { NablaError } from "../tensor/errors.js";
import { demo } from "./demo.js";

const USAGE = `usage: nabla <command>

commands:
  demo    differentiate the seed graph a = x·y + z, b = a·(x + x), w = a·b + b at x=1, y=2, z=3
  help    show this message`;

/** Runs the CLI; returns the exit status. */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "demo":
        return demo(rest, out);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        out(USAGE);
        return 0;
      default:
        process.stderr.write(`nabla: unknown command ${JSON.stringify(cmd)}\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof NablaError) {
      process.stderr.write(`nabla: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
