// The symbolic and instructor subcommands (`derive`, `cases`, `grade`), registered on the main
// program; each loads its module on demand like the others.
import { type Command, Option } from "commander";
import { ValueError } from "../tensor/errors.js";

/** Adds `derive`, `cases` and `grade` to `program`. */
export function registerExtraCommands(program: Command, out: (s: string) => void, setStatus: (code: number) => void): void {
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
    .action(async (source: string | undefined, o: { wrt?: string; layout: "numerator" | "denominator"; shapes?: string; format: "text" | "md" | "latex" | "json"; fromUpdate?: string; model?: string; check?: string }) => {
      const { deriveCommand, lossFromUpdateCommand } = await import("./derive.js");
      if (o.fromUpdate !== undefined) {
        const [text, code] = lossFromUpdateCommand(o.fromUpdate, o.model, o.check, o.format);
        out(text);
        setStatus(code);
        return;
      }
      if (source === undefined || o.wrt === undefined) throw new ValueError("give the statements and --wrt (or --from-update with --model).", { op: "derive" });
      out(deriveCommand(source, { wrt: o.wrt, layout: o.layout, format: o.format, ...(o.shapes === undefined ? {} : { shapes: o.shapes }) }));
    });
  program.command("jacobian")
    .description("the Jacobian of the last statement: its numbers (autograd) and its symbolic form")
    .argument("<statements>", 'e.g. "f = W1 @ x + W2 @ x"')
    .requiredOption("--wrt <name>", "the input to differentiate with respect to")
    .option("--at <assignments...>", "values: x=[1,2] W1=[[1,2],[3,4]]", [])
    .action(async (source: string, o: { wrt: string; at: string[] }) => {
      const { jacobianCommand } = await import("./jacobian.js");
      out(jacobianCommand(source, o.wrt, o.at));
    });
  program.command("cases")
    .description("seeded test cases (inputs, upstream gradient, expected outputs and gradients) for a from-scratch layer; see docs/cases.md")
    .requiredOption("--layer <layer>", "linear, relu, sigmoid, tanh, mse, bce, cross-entropy or conv2d")
    .option("--n <count>", "number of cases", (v) => Number(v), 20)
    .option("--seed <seed>", "random seed", (v) => Number(v), 1)
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (o: { layer: string; n: number; seed: number; output?: string }) => {
      const { casesCommand } = await import("./cases.js");
      const text = casesCommand(o.layer, o.n, o.seed);
      if (o.output === undefined) { out(text); return; }
      const { wroteLine, writeOutput } = await import("./write-output.js");
      out(wroteLine(o.output, writeOutput(o.output, text, "cases")));
    });
  program.command("grade")
    .description("grade a submission's results against a case file (exit 0 only when every check passes)")
    .argument("<cases>", "cases.json from nabla cases")
    .argument("<results>", "results.json (e.g. from examples/grade_runner.py)")
    .action(async (cases: string, results: string) => {
      const { gradeCommand } = await import("./cases.js");
      const [text, code] = gradeCommand(cases, results);
      out(text);
      setStatus(code);
    });
}
