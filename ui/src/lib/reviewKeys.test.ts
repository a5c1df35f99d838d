import { describe, expect, it } from "vitest";
import { isTyping, reviewKey } from "./reviewKeys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  reviewKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe("review keys", () => {
  it("maps the keys a reviewer uses", () => {
    expect([key("ArrowDown"), key("j"), key("K"), key(" "), key("a"), key("R")]).toEqual([
      "down",
      "down",
      "up",
      "toggle",
      "approve",
      "reject",
    ]);
    expect(key("a", { ctrlKey: true })).toBe("all");
    expect(key("r", { ctrlKey: true })).toBeNull();
    expect(key("a", { altKey: true })).toBeNull();
    expect(key("x")).toBeNull();
  });

  it("leaves keys alone while typing in a field", () => {
    expect(isTyping(document.createElement("input"))).toBe(true);
    expect(isTyping(document.createElement("textarea"))).toBe(true);
    expect(isTyping(document.createElement("div"))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
