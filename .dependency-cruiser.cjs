// Layering (ARCHITECTURE.md): imports only point down.
// tensor <- kernels <- backend <- ops <- autograd <- layers <- nn <- optim <- data <- train <- dream <- expr <- symbolic <- solution <- viz <- problems <- cli
const order = ["tensor", "kernels", "backend", "ops", "autograd", "layers", "nn", "optim", "data", "train", "dream", "expr", "symbolic", "solution", "viz", "problems", "cli"];
const forbidden = order.flatMap((layer, i) => {
  const above = order.slice(i + 1);
  if (above.length === 0) return [];
  return [{
    name: `${layer}-not-up`,
    comment: `src/${layer} may not import from layers above it (${above.join(", ")})`,
    severity: "error",
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${above.join("|")})/` },
  }];
});
module.exports = {
  forbidden: [
    ...forbidden,
    { name: "no-circular", comment: "type-only cycles are fine (they vanish at runtime)", severity: "error", from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } } },
    { name: "browser-no-node", comment: "src/browser.ts (the web playground's entry) reaches no Node built-in module", severity: "error", from: { path: "^src/browser\\.ts$" }, to: { path: "^(node:)?(fs|path|crypto|zlib|worker_threads|os|child_process|url|module|process|buffer)$", reachable: true } },
    { name: "no-index-inside", comment: "src/index.ts is the public surface; nothing inside imports it", severity: "error", from: { path: "^src/.+/" }, to: { path: "^src/index\\.ts$" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
