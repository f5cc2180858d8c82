// Prints one run's tables (figures and nabla ÷ peer ratios) and the acceptance checks;
// returns the same numbers for the run's JSON.
import { GEMM_SIZES, gemmKey, LAYOUTS, MLP, mlpKey } from "./common.mjs";

const fmt = (v, d = 2) => (v === undefined || v === null || Number.isNaN(v) ? "—" : v >= 1000 && d === 0 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(d));
const table = (head, rows) => {
  const w = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(" | ")} |`;
  console.log([line(head), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...rows.map(line)].join("\n"));
};

export function report(run) {
  const res = { ...run.results };
  const torchNote = [];
  for (const t of ["pytorch-1thread", "pytorch-2thread"]) {
    const live = res[t];
    if (live !== undefined && live.blas?.optimised !== true) {
      torchNote.push(`${t} ran on the ${live.blas?.name ?? "unknown"} BLAS (${(live.blas?.libraries ?? []).join(", ")}): its ratios are withheld (apt-get install libopenblas0-pthread).`);
      delete res[t];
    } else if (live !== undefined) {
      torchNote.push(`${t}: ${live.blas.name} (${live.blas.libraries.filter((l) => /blas/i.test(l)).at(-1) ?? ""})`);
    }
    const ref = run.pytorchReference?.results?.[t];
    if (live === undefined && ref !== undefined) {
      res[t] = ref;
      torchNote.push(`${t}: from bench/reference/pytorch.json (${run.pytorchReference.date}, ${run.pytorchReference.cpu}; ${ref.blas?.name ?? "?"}) — another run, possibly another machine`);
    }
  }
  const nabla = res.nabla ?? {};
  const two = res["nabla-2thread"];
  const peers = ["jax-js", "tfjs-wasm", "tfjs-cpu", "pytorch-1thread", "pytorch-2thread"].filter((p) => res[p] !== undefined);
  const out = { gemm: {}, mlp: {}, tiny: {}, acceptance: [] };
  console.log(`\n${run.date} · ${run.cpu} × ${run.cores} · node ${run.node} · load averages ${run.loadAverages.map((l) => l.toFixed(2)).join(" → ")}`);
  console.log("One-thread figures are timed in CPU time, two-thread ones in wall time (other processes' load slows only the latter).");
  for (const n of torchNote) console.log(`PyTorch BLAS: ${n}`);

  if (nabla.gemm !== undefined && Object.keys(nabla.gemm).length > 0) {
    console.log("\nGEMM n×n, median GFLOP/s (×: nabla ÷ peer; > 1 means nabla is faster). nn = A·B, nt = A·Bᵀ");
    const rows = [];
    for (const dtype of ["float32", "float64"]) {
      for (const layout of LAYOUTS) {
        for (const n of GEMM_SIZES) {
          const key = gemmKey(dtype, layout, n);
          const gf = (ms) => (ms === undefined ? undefined : (2 * n ** 3) / (ms * 1e6));
          const mine = gf(nabla.gemm[key]);
          const theirs = peers.map((p) => gf(res[p].gemm?.[key]));
          const mine2 = gf(two?.gemm?.[key]);
          out.gemm[key] = { nabla: mine, nabla2: mine2, ...Object.fromEntries(peers.map((p, i) => [p, theirs[i]])) };
          rows.push([key, fmt(mine, 1), fmt(mine2, 1), ...theirs.map((t) => (t === undefined ? "—" : `${fmt(t, 1)} (${fmt(mine / t)}×)`))]);
        }
      }
    }
    table(["case", "nabla", "nabla 2 threads", ...peers], rows);
  }

  if (nabla.mlp !== undefined && Object.keys(nabla.mlp).length > 0) {
    console.log("\nMLP 784-256-10 training step (ReLU, softmax cross-entropy, SGD): median examples/s (×: nabla modules ÷ peer)");
    const rows = [];
    for (const dtype of ["float32", "float64"]) {
      for (const batch of MLP.batches) {
        const mod = nabla.mlp[mlpKey(dtype, batch, "modules")]?.examplesPerSec;
        const raw = nabla.mlp[mlpKey(dtype, batch, "raw")]?.examplesPerSec;
        const theirs = peers.map((p) => res[p].mlp?.[mlpKey(dtype, batch, "peer")]?.examplesPerSec);
        const mod2 = two?.mlp?.[mlpKey(dtype, batch, "modules")]?.examplesPerSec;
        out.mlp[`${dtype}-b${batch}`] = { modules: mod, raw, modules2: mod2, ...Object.fromEntries(peers.map((p, i) => [p, theirs[i]])) };
        rows.push([`${dtype} b${batch}`, fmt(mod, 0), fmt(raw, 0), fmt(mod2, 0), ...theirs.map((t) => (t === undefined ? "—" : `${fmt(t, 0)} (${fmt(mod / t)}×)`))]);
      }
    }
    table(["case", "nabla (modules)", "nabla (raw x·W)", "nabla 2 threads (modules)", ...peers], rows);
  }

  const mg = res.micrograd;
  if (nabla.tiny !== undefined && Object.keys(nabla.tiny).length > 0) {
    console.log("\nTiny float64 training steps, µs/step (fastest block of 1000 steps) (÷: nabla ÷ micrograd-style scalar graph; < 1 means nabla is faster)");
    const rows = [];
    for (const name of ["neuron", "mlp333"]) {
      const t = nabla.tiny[name], m = mg?.tiny?.[name];
      const drift = t?.usLast10k === undefined ? "—" : `${fmt(t.usFirst10k)} → ${fmt(t.usLast10k)} µs, RSS ${fmt(t.rssBeforeMB, 0)} → ${fmt(t.rssAfterMB, 0)} MB`;
      out.tiny[name] = { nabla: t, micrograd: m, byHand: mg?.byHand?.[name], pytorch: res["pytorch-1thread"]?.tiny?.[name] };
      rows.push([name, fmt(t?.usPerStep), fmt(m?.usPerStep), fmt(t?.usPerStep / m?.usPerStep), fmt(mg?.byHand?.[name]?.usPerStep, 3), fmt(res["pytorch-1thread"]?.tiny?.[name]?.usPerStep, 1), drift]);
    }
    table(["step", "nabla", "micrograd", "÷", "by hand", "PyTorch", "nabla over 200k steps (first → last 10k)"], rows);
  }
  if (nabla.soak !== undefined) console.log(`\nRSS over ${nabla.soak.steps} MLP steps (modules, f32, b64), MB: ${nabla.soak.rssMB.map((v) => v.toFixed(0)).join(" ")}`);

  // The acceptance points, each a ratio measured in this run.
  const acc = (what, value, target, pass, digits = 2) => out.acceptance.push({ what, value, target, pass, digits });
  const g = (key, p) => out.gemm[key]?.[p];
  if (out.mlp["float32-b64"]?.["jax-js"] !== undefined) acc("MLP f32 b64 modules ÷ jax-js", out.mlp["float32-b64"].modules / out.mlp["float32-b64"]["jax-js"], "≥ 2", (v) => v >= 2);
  if (g("float32-nn-1024", "jax-js") !== undefined) acc("GEMM f32 1024 ÷ jax-js", g("float32-nn-1024", "nabla") / g("float32-nn-1024", "jax-js"), "≥ 1.8", (v) => v >= 1.8);
  if (g("float32-nn-1024", "jax-js") !== undefined && g("float32-nn-1024", "nabla2") !== undefined) acc("GEMM f32 1024, 2 threads ÷ jax-js", g("float32-nn-1024", "nabla2") / g("float32-nn-1024", "jax-js"), "≥ 3.3", (v) => v >= 3.3);
  if (out.mlp["float32-b64"]?.modules2 !== undefined && out.mlp["float32-b64"]?.["pytorch-1thread"] !== undefined) acc("MLP f32 b64 modules, 2 threads ÷ PyTorch 1 thread", out.mlp["float32-b64"].modules2 / out.mlp["float32-b64"]["pytorch-1thread"], "≥ 0.8", (v) => v >= 0.8);
  if (g("float32-nn-64", "tfjs-wasm") !== undefined) acc("GEMM f32 64 ÷ TF.js wasm", g("float32-nn-64", "nabla") / g("float32-nn-64", "tfjs-wasm"), "≥ 1", (v) => v >= 1);
  if (g("float64-nn-1024", "pytorch-1thread") !== undefined) acc("GEMM f64 1024 ÷ PyTorch 1 thread", g("float64-nn-1024", "nabla") / g("float64-nn-1024", "pytorch-1thread"), "≥ 0.4", (v) => v >= 0.4);
  for (const [name, lim] of [["neuron", 1.5], ["mlp333", 2]]) {
    const t = out.tiny[name];
    if (t?.micrograd !== undefined) acc(`tiny ${name} ÷ micrograd`, t.nabla.usPerStep / t.micrograd.usPerStep, `≤ ${lim}`, (v) => v <= lim);
    if (t?.nabla?.usLast10k !== undefined) acc(`tiny ${name} last ÷ first 10k of 200k`, t.nabla.usLast10k / t.nabla.usFirst10k, "≤ 1.2", (v) => v <= 1.2);
  }
  const cnn2 = run.cnn?.examplesPerSec?.["nabla-2thread"];
  if (cnn2 !== undefined) acc("CNN step (issue 9's net), 2 threads, examples/s", cnn2, "≥ 5000", (v) => v >= 5000, 0);
  if (nabla.soak !== undefined) {
    const r = nabla.soak.rssMB;
    acc(`RSS growth over ${nabla.soak.steps} MLP steps (2nd tenth → last), MB`, r.at(-1) - r[1], "≤ 20", (v) => v <= 20);
  }
  if (out.acceptance.length > 0) {
    console.log("\nAcceptance (issue 10)");
    table(["point", "this run", "target", ""], out.acceptance.map((a) => [a.what, fmt(a.value, a.digits), a.target, a.pass(a.value) ? "holds" : "does not hold"]));
    out.acceptance = out.acceptance.map((a) => ({ ...a, pass: a.pass(a.value) }));
  }
  return out;
}
