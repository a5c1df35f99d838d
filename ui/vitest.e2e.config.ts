import { defineConfig } from "vitest/config";

// The end-to-end tests drive the real app binary in a real window through tauri-driver (WebDriver);
// `cargo xtask test` builds the app, prepares the files and runs them under Xvfb.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
