import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";
import AutoImport from "unplugin-auto-import/vite";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

// Element Plus components are imported on demand (importing all of it costs ~1 MB of JS).
export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: "src/auto-imports.d.ts" }),
    Components({ resolvers: [ElementPlusResolver()], dts: "src/components.d.ts" }),
  ],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  // The dashboard chunk carries ECharts (~550 kB): loaded from disk on demand, never over a network.
  build: { target: "es2021", sourcemap: false, chunkSizeWarningLimit: 600 },
  test: { environment: "jsdom" },
});
