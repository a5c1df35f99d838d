import { describe, expect, it } from "vitest";
import { rareCharacters, unicodeRange } from "./rareGlyphs";

describe("rare characters", () => {
  it("finds Extension B and later characters once each and nothing of the common planes", () => {
    expect(rareCharacters("吉𠮷 张𪚥𠮷 䶮 阿卜杜热合曼·艾买提")).toEqual(["𠮷", "𪚥"]);
    expect(rareCharacters("王小明 Zhang")).toEqual([]);
  });

  it("writes a unicode-range of exactly those characters", () => {
    expect(unicodeRange(["𠮷", "𪚥"])).toBe("U+20BB7,U+2A6A5");
  });
});
