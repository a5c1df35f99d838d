// Every string the UI shows comes from the locale files: both languages have the same keys, and every key the
// source code names (literally or as a prefix of a computed key) exists.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import zhCN from "./locales/zh-CN.json";
import en from "./locales/en.json";

function keys(tree: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(vue|ts)$/.test(name) && !name.endsWith(".test.ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

describe("locales", () => {
  const zhKeys = keys(zhCN);

  it("have the same keys in zh-CN and en", () => {
    expect(keys(en).sort()).toEqual([...zhKeys].sort());
  });

  it("have every key the code uses", () => {
    const used = new Set<string>();
    for (const file of sources(__dirname)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*["'`]([a-zA-Z_.]+)(\$\{)?/g)) {
        used.add(m[2] ? `${m[1]}*` : m[1]);
      }
    }
    const missing = [...used].filter((k) =>
      k.endsWith("*") ? !zhKeys.some((z) => z.startsWith(k.slice(0, -1))) : !zhKeys.includes(k),
    );
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(100);
  });
});
