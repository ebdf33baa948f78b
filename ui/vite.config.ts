// Vite builds the settings window from ui/ into ui/dist, which Tauri embeds; Vitest runs the
// UI's unit tests with the same config.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: "localhost" },
  build: { outDir: "dist", emptyOutDir: true, target: "safari15" },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
