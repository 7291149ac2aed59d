import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// "@bindings" is the TypeScript generated from loket-engine's command list
// (cargo test -p loket-engine --test bindings).
const bindings = fileURLToPath(new URL("./src/bindings/index.ts", import.meta.url));

// `npm run dev` proxies /api to a running backend (`loket serve` or scripts/mock-backend.mjs).
const apiTarget = process.env.LOKET_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@bindings": bindings } },
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    pool: "threads",
    css: false,
  },
});
