// Turns a problem into statements of the expression language: layer stacks become
// `z1 = W1 @ x + b1; a1 = relu(z1); …`, losses become a formula, parameters become tensors.
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import type { Statement } from "../expr/ast.js";
import { run } from "../expr/evaluate.js";
import { parseProgram } from "../expr/parser.js";
import { init } from "../nn/init.js";
import { EvalError, ParseError } from "../expr/errors.js";
import { type Locator, ProblemError } from "./load.js";
import { lossStatement } from "./loss-statement.js";
import { SampleTable } from "./samples.js";
import type { Init, Layer, Problem, Value } from "./schema.js";

/** A problem ready to run. */
export interface Compiled {
  readonly problem: Problem;
  readonly source: string;
  readonly program: readonly Statement[];
  /** How many leading statements are the model (the rest is the loss). */
  readonly modelLength: number;
  readonly output: string;
  readonly lossName: string;
  readonly target: string;
  readonly parameters: ReadonlyMap<string, Tensor>;
  readonly constants: ReadonlyMap<string, Tensor>;
  /** The samples of `data` (one empty sample without it). */
  readonly samples: SampleTable;
  /** Human-readable statement of each convention that changes numbers. */
  readonly conventions: readonly string[];
}

type Path = (string | number)[];

/** Errors located in one problem file. */
interface Errors {
  fail(path: Path, msg: string): never;
  /** Re-locates a formula error (line/column within the formulas text) in the problem file. */
  relocate(e: unknown, path: Path): never;
}

function errorsFor(file: string, where: Locator): Errors {
  return {
    fail(path, msg) {
      const at = where(path);
      throw new ProblemError(msg, file, path, at.line, at.col);
    },
    relocate(e, path) {
      if (e instanceof ParseError || e instanceof EvalError) {
        const at = where(path);
        const line = at.block ? at.line + e.line : at.line;
        const col = at.block ? e.column : at.col + e.column;
        throw new ProblemError(e.message.replace(/^[^\n]*?\d+:\d+: /, ""), file, path, line, col);
      }
      throw e;
    },
  };
}

/** A value from the file as a float64 tensor. */
export function valueTensor(v: Value): Tensor {
  return tensor(v);
}

function initTensor(p: Init): Tensor {
  return init(p.init, p.shape, {
    seed: p.seed,
    ...(p.value === undefined ? {} : { value: p.value }),
    ...(p.low === undefined ? {} : { low: p.low }),
    ...(p.high === undefined ? {} : { high: p.high }),
    ...(p.mean === undefined ? {} : { mean: p.mean }),
    ...(p.std === undefined ? {} : { std: p.std }),
  });
}

function layerStatements(p: Problem, layers: readonly Layer[], params: Map<string, Tensor>, err: Errors): string[] {
  const layout = p.conventions.layout;
  const lines: string[] = [];
  let cur = p.model.input;
  let nLinear = 0;
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    let name: string;
    let rhs: string;
    if (typeof layer === "string") {
      name = last ? "yhat" : `a${nLinear}`;
      rhs = layer === "identity" ? cur : `${layer}(${cur})`;
    } else if ("linear" in layer) {
      nLinear++;
      const l = layer.linear;
      const W = `W${nLinear}`, b = `b${nLinear}`;
      name = last ? "yhat" : `z${nLinear}`;
      const wShape = layout === "xW" ? [l.in, l.out] : [l.out, l.in];
      const w = l.weight !== undefined ? valueTensor(l.weight) : init(l.init ?? "kaiming-uniform", wShape, { seed: l.seed ?? nLinear, fanIn: l.in, fanOut: l.out });
      if (w.shape.length !== 2 || w.shape[0] !== wShape[0] || w.shape[1] !== wShape[1]) {
        err.fail(["model", "layers", i, "linear", "weight"], `weight must be ${wShape[0]}×${wShape[1]} for in=${l.in}, out=${l.out} with layout ${layout}, got shape [${w.shape.join(",")}]`);
      }
      params.set(W, w);
      const mm = layout === "Wx" ? `${W} @ ${cur}` : layout === "xW" ? `${cur} @ ${W}` : `${cur} @ ${W}.T`;
      if (l.bias === false) {
        rhs = mm;
      } else {
        const bt = l.bias !== undefined ? valueTensor(l.bias) : init("uniform", [l.out], { seed: (l.seed ?? nLinear) + 1000, low: -1 / Math.sqrt(l.in), high: 1 / Math.sqrt(l.in) });
        if (bt.shape.length !== 1 || bt.shape[0] !== l.out) err.fail(["model", "layers", i, "linear", "bias"], `bias must have ${l.out} entries, got shape [${bt.shape.join(",")}]`);
        params.set(b, bt);
        rhs = `${mm} + ${b}`;
      }
    } else if ("leaky-relu" in layer) {
      name = last ? "yhat" : `a${nLinear}`;
      rhs = `leakyrelu(${cur}, ${layer["leaky-relu"].slope})`;
    } else {
      name = last ? "yhat" : `a${nLinear}`;
      rhs = `${layer.scale} * ${cur}`;
    }
    if (name === cur) name = `${name}_`;
    lines.push(`${name} = ${rhs}`);
    cur = name;
  });
  return lines;
}

/** The loss: a formula from the file, or a statement calling the library's loss definitions. */
function lossStatements(p: Problem, pred: string, predShape: readonly number[]): { statements: Statement[]; conventions: string[] } {
  const l = p.loss;
  if (l.kind !== "formula") {
    const { statement, conventions } = lossStatement(p, pred, predShape);
    return { statements: [statement], conventions };
  }
  const f = (l.formula as string).trim();
  return { statements: parseProgram(/^[A-Za-z_][A-Za-z0-9_]*\s*=(?!=)/.test(f) ? f : `${l.name} = ${f}`), conventions: ["loss given as a formula"] };
}

/** Compiles a validated problem; `locate` (from the file's text) puts line numbers on errors. */
export function compile(p: Problem, file = "<problem>", locate?: Locator): Compiled {
  const err = errorsFor(file, locate ?? (() => ({ line: 1, col: 1, block: false })));
  const params = new Map<string, Tensor>();
  for (const [k, v] of Object.entries(p.parameters)) params.set(k, typeof v === "object" && !Array.isArray(v) ? initTensor(v) : valueTensor(v));
  const constants = new Map<string, Tensor>(Object.entries(p.inputs).map(([k, v]) => [k, valueTensor(v)]));
  const samples = SampleTable.of(p.data);
  if (p.training.mode !== "single" && p.data === undefined) err.fail(["training", "mode"], `mode ${p.training.mode} needs \`data\` (a list of samples)`);
  if (p.training.iterations > 1 && p.optimizer === undefined) {
    err.fail(["training", "iterations"], `${p.training.iterations} iterations need an optimizer to update the parameters between them; without one every iteration would repeat the first. Add \`optimizer: {kind: sgd, lr: 0.1}\` (or another), or set iterations to 0 or 1`);
  }
  const modelLines = p.model.layers !== undefined ? layerStatements(p, p.model.layers, params, err) : [];
  const modelSource = p.model.formulas ?? modelLines.join("\n");
  const formulasPath = p.model.formulas !== undefined ? ["model", "formulas"] : ["model", "layers"];
  let modelProgram: Statement[];
  try {
    modelProgram = parseProgram(modelSource);
  } catch (e) {
    return err.relocate(e, formulasPath);
  }
  const output = p.loss.prediction ?? p.model.output ?? (modelProgram.at(-1)?.name as string);
  // Dry run on the first sample to learn the prediction's shape.
  const env = new Map<string, Tensor>([...constants, ...params, ...samples.get(0)]);
  try {
    noGrad(() => run(modelProgram, env, modelSource));
  } catch (e) {
    return err.relocate(e, formulasPath);
  }
  const pred = env.get(output);
  if (pred === undefined) err.fail(["loss", "prediction"], `the model defines no '${output}' (it defines ${modelProgram.map((s) => s.name).join(", ")})`);
  const lossPath = p.loss.kind === "formula" ? ["loss", "formula"] : ["loss"];
  let program: Statement[];
  let conventions: string[];
  let source: string;
  try {
    const loss = lossStatements(p, output, (pred as Tensor).shape);
    conventions = loss.conventions;
    program = [...modelProgram, ...loss.statements];
    source = `${modelSource.trimEnd()}\n${loss.statements.map((s) => `${s.name} = ${s.text}`).join("\n")}\n`;
    noGrad(() => run(program, new Map([...constants, ...params, ...samples.get(0)]), source));
  } catch (e) {
    return err.relocate(e, lossPath);
  }
  const lossName = program.at(-1)?.name as string;
  const layoutNote = p.model.layers !== undefined ? [`linear layers: ${p.conventions.layout === "Wx" ? "y = W x + b (W is out×in, column vectors)" : p.conventions.layout === "xW" ? "y = x W + b (W is in×out)" : "y = x Wᵀ + b (W is out×in, PyTorch)"}`] : [];
  return {
    problem: p, source, program, modelLength: modelProgram.length, output, lossName, target: p.loss.target,
    parameters: params, constants, samples,
    conventions: [...conventions, ...layoutNote],
  };
}
