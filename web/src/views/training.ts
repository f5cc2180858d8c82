// The training view: problems trained an iteration at a time (nabla's solveSteps) in short slices
// between frames, so the page stays responsive; learning curves drawn live with vega-embed. The
// guided example retells seed 000's Q5–Q7: why squared error learns nothing from case A's start.
import { compile, parseProblem, solveSteps, type IterationProgress, type Solution } from "nabla";
import type { Result, VisualizationSpec } from "vega-embed";
import { type App, el } from "../app.js";
import { EXAMPLES } from "../examples.js";

interface RunState {
  readonly label: string;
  readonly steps: Generator<IterationProgress, Solution, void>;
  done: number;
  total: number;
  finished: boolean;
  lastLoss: number;
}

interface Row { run: string; iteration: number; loss: number; prediction: number | null }

const STORIES: readonly { id: string; title: string; runs: readonly string[]; text: string }[] = [
  {
    id: "q5",
    title: "Q5–Q6: case A, two losses",
    runs: ["seed000-caseA-squared-error", "seed000-caseA-cross-entropy"],
    text: "Case A starts at z = wᵀx + b = −9, where the sigmoid is flat: σ′(−9) ≈ 1.23·10⁻⁴. With squared error, ∂L/∂z = (ŷ − y)·σ′(z) carries that factor, so 500 steps at η = 0.01 barely move z and the loss stays near 0.5 (flat curve, ŷ far from y). With cross-entropy, ∂L/∂z = ŷ − y: the σ′ factor cancels, the gradient is about −1 from the first step and the loss falls.",
  },
  {
    id: "q7",
    title: "Q7: three fixes for squared error",
    runs: ["seed000-caseA-squared-error", "seed000-q7-adam", "seed000-q7-larger-lr", "seed000-q7-zero-init"],
    text: "Each fix changes one thing in case A with squared error: Adam divides each step by the running gradient size, so a vanishing gradient still moves the parameters by about η; a learning rate of 5 makes the tiny gradient's steps visible; starting from w = 0, b = 0 puts z at 0, where σ′(0) = ¼ instead of 1.2·10⁻⁴.",
  },
];

/** Both panels, the legend listing every run from the start (its width is fixed at the first render). */
function spec(labels: readonly string[]): VisualizationSpec {
  const x = { field: "iteration", type: "quantitative", title: "iteration" } as const;
  const color = { field: "run", type: "nominal", title: "run", scale: { domain: [...labels] }, legend: { orient: "right", labelLimit: 220 } } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { name: "points" },
    vconcat: [
      { title: "Loss", width: 480, height: 180, mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: { field: "loss", type: "quantitative", title: "L" }, color } },
      { title: "Prediction ŷ (first output)", width: 480, height: 140, mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: { field: "prediction", type: "quantitative", title: "ŷ" }, color } },
    ],
    config: { legend: { labelLimit: 320 } },
  };
}

export function mountTraining(root: HTMLElement, app: App): void {
  const run = el("button", { type: "button", id: "train-run", text: "▶ Run" });
  const pause = el("button", { type: "button", id: "train-pause", text: "Pause" });
  const step = el("button", { type: "button", id: "train-step", text: "Step" });
  const reset = el("button", { type: "button", id: "train-reset", text: "↺ Reset to the editor's problem" });
  const speed = el("select", { id: "train-speed", "aria-label": "Iterations per frame" }, ...[["1", "1 iteration/frame"], ["5", "5 iterations/frame"], ["25", "25 iterations/frame"], ["0", "as fast as possible"]].map(([v, t]) => el("option", { value: v as string, text: t as string })));
  speed.value = "5";
  const status = el("div", { id: "train-status", "aria-live": "polite" });
  const story = el("p", { id: "story-text", class: "story" });
  const storyButtons = STORIES.map((s) => el("button", { type: "button", "data-story": s.id, text: s.title }));
  const chart = el("div", { id: "train-chart", class: "chart", role: "img", "aria-label": "Learning curves: loss and prediction against iteration" });
  root.append(
    el("div", { class: "toolbar" }, run, pause, step, speed, reset),
    el("div", { class: "toolbar" }, el("span", { text: "Guided example (seed 000):" }), ...storyButtons),
    story, status, chart,
  );

  let runs: RunState[] = [];
  let view: Result | null = null;
  let pending: Row[] = [];
  let running = false;
  let lastFlush = 0;
  let drawn = 0;

  const load = async (items: readonly { label: string; text: string }[]): Promise<void> => {
    running = false;
    runs = [];
    for (const it of items) {
      try {
        const c = compile(parseProblem(it.text, it.label));
        runs.push({ label: it.label, steps: solveSteps(c, { detail: 1 }), done: 0, total: Math.max(1, c.problem.training.iterations), finished: false, lastLoss: NaN });
      } catch (e) {
        status.textContent = `${it.label}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    pending = [];
    view?.finalize();
    const { default: embed } = await import("vega-embed"); // loaded with the first chart, not with the page
    view = await embed(chart, spec(runs.map((r) => r.label)), { renderer: "svg", actions: false });
    drawn = 0;
    chart.dataset["points"] = "0";
    chart.dataset["flushes"] = "0";
    chart.dataset["maxFlushMs"] = "0";
    chart.dataset["runs"] = String(runs.length);
    report();
  };

  const advance = (r: RunState): Row | null => {
    if (r.finished) return null;
    const n = r.steps.next();
    if (n.done === true) {
      r.finished = true;
      return null;
    }
    r.done = n.value.iteration;
    r.lastLoss = n.value.loss;
    if (r.done >= r.total) r.finished = true;
    return { run: r.label, iteration: n.value.iteration, loss: n.value.loss, prediction: n.value.output[0] ?? null };
  };

  const flush = (): void => {
    if (view === null || pending.length === 0) return;
    const t0 = performance.now();
    view.view.insert("points", pending).run();
    chart.dataset["maxFlushMs"] = String(Math.max(Number(chart.dataset["maxFlushMs"] ?? "0"), performance.now() - t0));
    drawn += pending.length;
    chart.dataset["points"] = String(drawn);
    chart.dataset["flushes"] = String(Number(chart.dataset["flushes"] ?? "0") + 1);
    pending = [];
    lastFlush = performance.now();
    report();
  };

  const report = (): void => {
    status.textContent = runs.map((r) => `${r.label}: ${r.done}/${r.total}${Number.isNaN(r.lastLoss) ? "" : `, L = ${r.lastLoss.toPrecision(5)}`}`).join(" · ");
    status.dataset["done"] = String(runs.length > 0 && runs.every((r) => r.finished));
  };

  const frame = (): void => {
    if (!running) return;
    const t0 = performance.now();
    const cap = Number(speed.value) || Infinity;
    // NOTE: train for at most 8 ms (and the chosen number of iterations) per frame, then let the page draw and handle input.
    for (let k = 0; k < cap && performance.now() - t0 < 8 && runs.some((r) => !r.finished); k++) {
      for (const r of runs) {
        const row = advance(r);
        if (row !== null) pending.push(row);
      }
    }
    const finished = runs.every((r) => r.finished);
    if (finished || performance.now() - lastFlush > 60) flush();
    if (finished) {
      running = false;
      return;
    }
    requestAnimationFrame(frame);
  };

  run.addEventListener("click", () => {
    if (running) return;
    running = true;
    requestAnimationFrame(frame);
  });
  pause.addEventListener("click", () => {
    running = false;
    flush();
  });
  step.addEventListener("click", () => {
    running = false;
    for (const r of runs) {
      const row = advance(r);
      if (row !== null) pending.push(row);
    }
    flush();
  });
  const fromEditor = (): Promise<void> => {
    story.textContent = "";
    return load([{ label: app.solved?.solution.title ?? "problem", text: app.text }]);
  };
  reset.addEventListener("click", () => void fromEditor());
  for (const b of storyButtons) {
    b.addEventListener("click", () => {
      const s = STORIES.find((x) => x.id === b.dataset["story"]);
      if (s === undefined) return;
      story.textContent = s.text;
      void load(s.runs.map((name) => ({ label: name.replace(/^seed000-/, ""), text: EXAMPLES.get(name) ?? "" })));
    });
  }
  let loaded = false;
  app.on("view", () => {
    if (app.view === "training" && !loaded) {
      loaded = true;
      void fromEditor();
    }
  });
}
