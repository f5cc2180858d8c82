// Class visualization off the page's thread: loads the shipped Fashion-MNIST CNN (bundled as a file
// next to the app, checksum verified where the browser offers SHA-256) and runs nabla's dream,
// posting progress and the image as it forms. Cancelling terminates the worker.
import { classify, dream, modelFromSafetensors, noGrad, type DreamTarget, type ModelInfo, type Sequential, type Tensor, zeros } from "nabla";
import modelUrl from "../../models/fashion-cnn.safetensors?url";

export type DreamRequest = { readonly type: "init" } | { readonly type: "start"; readonly target: DreamTarget; readonly steps: number };
export type DreamReply =
  | { readonly type: "info"; readonly classes: readonly string[]; readonly layers: readonly { index: number; label: string; channels: number }[]; readonly size: readonly [number, number, number] }
  | { readonly type: "progress"; readonly done: number; readonly total: number; readonly phase: "ascent" | "polish"; readonly probability: number; readonly objective: number; readonly totalVariation: number; readonly image: Float32Array | null }
  | { readonly type: "done"; readonly image: Float32Array; readonly steps: number; readonly probability: number; readonly ms: number }
  | { readonly type: "error"; readonly message: string };

const post = (m: DreamReply): void => self.postMessage(m);
let loaded: Promise<{ model: Sequential; info: ModelInfo }> | null = null;

async function load(): Promise<{ model: Sequential; info: ModelInfo }> {
  const bytes = new Uint8Array(await (await fetch(new URL(modelUrl, self.location.href))).arrayBuffer());
  const n = Number(new DataView(bytes.buffer, 0, 8).getBigUint64(0, true));
  let hex: string | null = null;
  if (globalThis.crypto?.subtle !== undefined && n <= bytes.length - 8) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(8 + n)));
    hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  const checked = hex;
  return modelFromSafetensors(bytes, "fashion-cnn.safetensors", checked === null ? null : () => checked);
}

const pixels = (t: Tensor): Float32Array => Float32Array.from(t.data);

self.onmessage = async (e: MessageEvent<DreamRequest>): Promise<void> => {
  try {
    loaded ??= load();
    const { model, info } = await loaded;
    const size = info.arch.input;
    if (e.data.type === "init") {
      const layers: { index: number; label: string; channels: number }[] = [];
      noGrad(() => {
        let x = zeros([1, ...size], { dtype: model.parameters()[0]?.dtype ?? "float32" });
        model.layers.forEach((m, i) => {
          x = m.call(x);
          layers.push({ index: i + 1, label: m.constructor.name, channels: x.shape[1] ?? 0 });
        });
      });
      post({ type: "info", classes: info.classes, layers, size });
      return;
    }
    const t0 = performance.now();
    const { image, history } = dream(model, size, info.normalize, e.data.target, {
      steps: e.data.steps,
      onStep: (s, done, total, img) => post({ type: "progress", done, total, phase: s.phase, probability: s.probability, objective: s.objective, totalVariation: s.totalVariation, image: done % 4 === 0 ? pixels(img()) : null }),
    });
    const target = e.data.target;
    const probability = target.kind === "class" ? (classify(model, image, info.normalize)[target.index] ?? NaN) : NaN;
    post({ type: "done", image: pixels(image), steps: history.length, probability, ms: performance.now() - t0 });
  } catch (err) {
    post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
