// Measures `nabla dream` on the shipped classifier for every class: the final probability and time
// with the defaults, and the total variation against plain gradient ascent (every regulariser off)
// at the same target probability. Prints a Markdown table. Run from the built package:
// `npm run build && node scripts/dream-report.mjs [MODEL]`.
import { classify, dream, PLAIN_ASCENT } from "../dist/src/dream/dream.js";
import { loadModel } from "../dist/src/train/checkpoint.js";

const { model, info } = loadModel(process.argv[2] ?? new URL("../models/fashion-cnn.safetensors", import.meta.url).pathname);
const rows = [];
for (let k = 0; k < info.classes.length; k++) {
  const t0 = performance.now();
  const reg = dream(model, info.arch.input, info.normalize, { kind: "class", index: k });
  const secs = (performance.now() - t0) / 1000;
  const p = classify(model, reg.image, info.normalize)[k];
  const tvReg = reg.history[reg.history.length - 1].totalVariation;
  // plain ascent: no jitter or resizing, so step s + 1's probability is that of the image after step s
  const plain = dream(model, info.arch.input, info.normalize, { kind: "class", index: k }, { ...PLAIN_ASCENT, steps: 400 });
  const s = plain.history.findIndex((h, i) => i > 0 && h.probability >= p);
  const tvPlain = s > 0 ? plain.history[s - 1].totalVariation : NaN;
  rows.push({ k, name: info.classes[k], p, tvReg, tvPlain, steps: s, secs });
  console.error(`${k} ${info.classes[k]}: p ${p.toFixed(4)}, TV ${tvReg.toFixed(1)} vs plain ${tvPlain.toFixed(1)} (step ${s}), ${secs.toFixed(1)} s`);
}
console.log("| class | probability (defaults) | total variation (defaults) | plain ascent at that probability | reduction | time |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.k} ${r.name} | ${r.p.toFixed(4)} | ${r.tvReg.toFixed(1)} | ${r.tvPlain.toFixed(1)} (step ${r.steps}) | ${(100 * (1 - r.tvReg / r.tvPlain)).toFixed(0)}% | ${r.secs.toFixed(1)} s |`);
