// Class visualization: pick a class (or a layer and channel) of the shipped Fashion-MNIST CNN and
// watch nabla's dream form the image that raises it, in a Web Worker with progress and cancel.
import { type App, el } from "../app.js";
import type { DreamReply, DreamRequest } from "../dream-worker.js";

export function mountDream(root: HTMLElement, app: App): void {
  const kind = el("select", { id: "dream-kind", "aria-label": "What to raise" }, el("option", { value: "class", text: "a class's logit" }), el("option", { value: "channel", text: "a layer's channel" }));
  const cls = el("select", { id: "dream-class", "aria-label": "Class" });
  const layer = el("select", { id: "dream-layer", "aria-label": "Layer" });
  const channel = el("input", { id: "dream-channel", type: "number", min: "0", value: "0", "aria-label": "Channel" });
  const steps = el("input", { id: "dream-steps", type: "number", min: "1", max: "400", value: "80", "aria-label": "Gradient steps per octave" });
  const start = el("button", { type: "button", id: "dream-start", text: "▶ Start" });
  const cancel = el("button", { type: "button", id: "dream-cancel", text: "■ Cancel" });
  const progress = el("progress", { id: "dream-progress", max: "1", value: "0", "aria-label": "Progress" });
  const status = el("div", { id: "dream-status", "aria-live": "polite" });
  const canvas = el("canvas", { id: "dream-canvas", class: "dream-canvas", width: "28", height: "28", role: "img", "aria-label": "The image being optimised" });
  root.append(
    el("p", { class: "hint", text: "The shipped classifier (models/fashion-cnn.safetensors) runs in a Web Worker; gradient steps on the input image raise the chosen logit or channel (jitter, blur, weight decay, octaves: nabla dream's defaults), then, for a class, polish steps lower the image's total variation while its probability stays ≥ 0.99." }),
    el("div", { class: "toolbar" }, kind, cls, layer, el("label", { for: "dream-channel", text: "channel" }), channel, el("label", { for: "dream-steps", text: "steps/octave" }), steps),
    el("div", { class: "toolbar" }, start, cancel, progress), status, canvas,
  );
  cancel.disabled = true;
  let worker: Worker | null = null;
  let size: readonly [number, number, number] = [1, 28, 28];
  let layers: readonly { index: number; label: string; channels: number }[] = [];

  const draw = (px: Float32Array): void => {
    const [, h, w] = size;
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (ctx === null) return;
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, px[i] ?? 0)));
      img.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  };
  const sync = (): void => {
    const ch = kind.value === "channel";
    cls.hidden = ch;
    layer.hidden = !ch;
    channel.disabled = !ch;
    const l = layers.find((x) => String(x.index) === layer.value);
    channel.max = String((l?.channels ?? 1) - 1);
  };
  const spawn = (): Worker => {
    const w = new Worker(new URL("../dream-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<DreamReply>) => {
      const m = e.data;
      if (m.type === "info") {
        size = m.size;
        layers = m.layers;
        cls.replaceChildren(...m.classes.map((c, i) => el("option", { value: String(i), text: `${i}: ${c}` })));
        layer.replaceChildren(...m.layers.map((l) => el("option", { value: String(l.index), text: `layer ${l.index}: ${l.label} (${l.channels})` })));
        sync();
        status.textContent = "Model loaded.";
        root.dataset["ready"] = "true";
      } else if (m.type === "progress") {
        progress.max = m.total;
        progress.value = Math.min(m.done, m.total);
        status.textContent = `step ${m.done} of ${m.total}${Number.isNaN(m.probability) ? `, objective ${m.objective.toPrecision(4)}` : `, probability ${m.probability.toFixed(3)}`}${m.phase === "polish" ? `, polishing: total variation ${m.totalVariation.toFixed(1)}` : ""}`;
        if (m.image !== null) draw(m.image);
      } else if (m.type === "done") {
        draw(m.image);
        progress.value = progress.max;
        status.textContent = `done: ${m.steps} steps in ${(m.ms / 1000).toFixed(1)} s${Number.isNaN(m.probability) ? "" : `, the final image's probability ${m.probability.toFixed(3)}`}`;
        status.dataset["state"] = "done";
        start.disabled = false;
        cancel.disabled = true;
      } else {
        status.textContent = `error: ${m.message}`;
        status.dataset["state"] = "error";
        start.disabled = false;
        cancel.disabled = true;
      }
    };
    return w;
  };
  const send = (m: DreamRequest): void => worker?.postMessage(m);

  kind.addEventListener("change", sync);
  layer.addEventListener("change", sync);
  start.addEventListener("click", () => {
    worker ??= spawn();
    const n = Math.max(1, Math.min(400, Math.round(Number(steps.value) || 80)));
    const target = kind.value === "channel" ? { kind: "channel" as const, layer: Number(layer.value), channel: Math.max(0, Math.round(Number(channel.value))) } : { kind: "class" as const, index: Number(cls.value) };
    status.dataset["state"] = "running";
    status.textContent = "starting…";
    start.disabled = true;
    cancel.disabled = false;
    send({ type: "start", target, steps: n });
  });
  cancel.addEventListener("click", () => {
    worker?.terminate();
    worker = spawn();
    send({ type: "init" });
    status.textContent = "cancelled";
    status.dataset["state"] = "cancelled";
    start.disabled = false;
    cancel.disabled = true;
  });
  let started = false;
  app.on("view", () => {
    if (app.view !== "dream" || started) return;
    started = true;
    worker = spawn();
    send({ type: "init" });
  });
}
