// Measures `nabla dream` on the shipped classifier for every class: the final probability and time
// with the defaults, and the image's total variation against plain gradient ascent (every
// regulariser off) stopped at the same target probability. Prints a per-class Markdown table.
// Run from the built package: `npm run build && node scripts/dream-report.mjs [MODEL]`.
//
// Total variation is the anisotropic one, Σ |x(i+1, j) − x(i, j)| + |x(i, j+1) − x(i, j)| over the
// 28×28 image. Plain ascent (PLAIN_ASCENT: one scale, no jitter, blur, clamp, weight decay or
// clipping) starts from gray 0.1 plus seeded noise of σ 0.01 at full resolution (about 17 of its
// total variation; the defaults start at their first octave's resolution) and steps until its own
// image first reaches the probability the defaults reached. Its steps are small (lr 0.0003, tens to
// hundreds of steps; lr 0.001 gives the same figures within a few percent), so it stops close to
// that probability. With the defaults' own step (the "plain with lr" column) it gets there in a few
// steps and overshoots, which inflates its total variation: an earlier version of this script
// measured that way (with lr 0.03, 2–3 steps) and reported reductions of 44–72% that were 5–48%.
// The last two columns run the defaults with the total-variation prior off (tvWeight 0), and with the
// polish phase off (polish 0: the image is wherever the ascent stopped, at the first step with p ≥ 0.99),
// everything else the same, and measure each the same way, against plain ascent stopped at its own
// probability. Plain ascent never polishes (PLAIN_ASCENT has polish 0).
import { classify, DEFAULT_DREAM, dream, PLAIN_ASCENT, totalVariation } from "../dist/src/dream/dream.js";
import { loadModel } from "../dist/src/train/checkpoint.js";

const PLAIN_LR = 0.0003;
const { model, info } = loadModel(process.argv[2] ?? new URL("../models/fashion-cnn.safetensors", import.meta.url).pathname);
const target = (k) => ({ kind: "class", index: k });

/** Plain gradient ascent with step `lr` until the image's probability reaches p. */
function plainTo(k, p, lr) {
  const r = dream(model, info.arch.input, info.normalize, target(k), { ...PLAIN_ASCENT, lr, steps: 1, untilProbability: p, extraSteps: 20000 });
  return { tv: totalVariation(r.image), p: classify(model, r.image, info.normalize)[k], steps: r.history.length };
}

const rows = [];
for (let k = 0; k < info.classes.length; k++) {
  const t0 = performance.now();
  const reg = dream(model, info.arch.input, info.normalize, target(k));
  const secs = (performance.now() - t0) / 1000;
  const p = classify(model, reg.image, info.normalize)[k];
  const tv = totalVariation(reg.image);
  const plain = plainTo(k, p, PLAIN_LR), coarse = plainTo(k, p, DEFAULT_DREAM.lr);
  const off = dream(model, info.arch.input, info.normalize, target(k), { tvWeight: 0 });
  const pOff = classify(model, off.image, info.normalize)[k];
  const noPrior = { p: pOff, reduction: 1 - totalVariation(off.image) / plainTo(k, pOff, PLAIN_LR).tv };
  const unpolished = dream(model, info.arch.input, info.normalize, target(k), { polish: 0 });
  const pUn = classify(model, unpolished.image, info.normalize)[k];
  const noPolish = { p: pUn, reduction: 1 - totalVariation(unpolished.image) / plainTo(k, pUn, PLAIN_LR).tv };
  rows.push({ k, name: info.classes[k], p, tv, plain, coarse, secs, noPrior, noPolish, reduction: 1 - tv / plain.tv });
  console.error(`${k} ${info.classes[k]}: p ${p.toFixed(4)}, TV ${tv.toFixed(1)} vs plain ${plain.tv.toFixed(1)} (p ${plain.p.toFixed(4)}, ${plain.steps} steps), ${secs.toFixed(1)} s`);
}
const pct = (x) => `${(100 * x).toFixed(0)}%`;
console.log(`| class | p (defaults) | total variation (defaults) | plain ascent at that p (lr ${PLAIN_LR}) | reduction | plain with lr ${DEFAULT_DREAM.lr} (overshoots) | time | without the TV prior (p, reduction) | without the polish (p, reduction) |`);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.k} ${r.name} | ${r.p.toFixed(4)} | ${r.tv.toFixed(1)} | ${r.plain.tv.toFixed(1)} (p ${r.plain.p.toFixed(4)}, ${r.plain.steps} steps) | ${pct(r.reduction)} | ${r.coarse.tv.toFixed(1)} (p ${r.coarse.p.toFixed(4)}, ${r.coarse.steps} steps) | ${r.secs.toFixed(1)} s | ${r.noPrior.p.toFixed(4)}, ${pct(r.noPrior.reduction)} | ${r.noPolish.p.toFixed(4)}, ${pct(r.noPolish.reduction)} |`);
}
const red = rows.map((r) => r.reduction);
console.log(`\nreduction: min ${pct(Math.min(...red))}, mean ${pct(red.reduce((a, b) => a + b, 0) / red.length)}, max ${pct(Math.max(...red))}; classes at ≥ 50%: ${red.filter((x) => x >= 0.5).length} of ${red.length}; lowest p ${Math.min(...rows.map((r) => r.p)).toFixed(4)}; slowest ${Math.max(...rows.map((r) => r.secs)).toFixed(1)} s`);
const off = rows.map((r) => r.noPrior.reduction);
console.log(`without the TV prior: reduction min ${pct(Math.min(...off))}, mean ${pct(off.reduce((a, b) => a + b, 0) / off.length)}, max ${pct(Math.max(...off))}; lowest p ${Math.min(...rows.map((r) => r.noPrior.p)).toFixed(4)}`);
const un = rows.map((r) => r.noPolish.reduction);
console.log(`without the polish: reduction min ${pct(Math.min(...un))}, mean ${pct(un.reduce((a, b) => a + b, 0) / un.length)}, max ${pct(Math.max(...un))}; lowest p ${Math.min(...rows.map((r) => r.noPolish.p)).toFixed(4)}`);
