// The playground's build: relative base (works from any static host or a file tree), nabla's
// browser entry as the "nabla" import, output in dist/web.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  resolve: { alias: { nabla: here("../src/browser.ts") } },
  build: { outDir: here("../dist/web"), emptyOutDir: true, chunkSizeWarningLimit: 4096, target: "es2022" },
  worker: { format: "es" },
  server: { port: 5173 },
  preview: { port: 4173 },
});
