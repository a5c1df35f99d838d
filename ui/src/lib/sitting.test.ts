import { describe, expect, it } from "vitest";
import { needsReview, sittingText } from "./sitting";

describe("sittings", () => {
  it("write a stored sitting the way the form types it", () => {
    expect(sittingText({ start: "2026-12-28T09:00:00", end: "2026-12-28T10:30:00" })).toBe("2026-12-28 09:00-10:30");
    expect(sittingText(null)).toBe("");
  });

  it("know which levels have a 综合评审", () => {
    expect(needsReview("二级/技师")).toBe(true);
    expect(needsReview("一级/高级技师")).toBe(true);
    expect(needsReview("三级/高级工")).toBe(false);
  });
});
