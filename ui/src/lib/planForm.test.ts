import { describe, expect, it } from "vitest";
import { checkDraft, emptyDraft } from "./planForm";

const valid = { ...emptyDraft(), occupation: "电工", reg_start: "2026-12-01", reg_end: "2026-12-20", exam_date: "2026-12-28" };

describe("checkDraft", () => {
  it("accepts a complete plan", () => {
    expect(checkDraft(valid)).toEqual({});
  });

  it("names each missing field", () => {
    const problems = checkDraft(emptyDraft());
    expect(Object.keys(problems).sort()).toEqual(["exam_date", "occupation", "reg_end", "reg_start"]);
  });

  it("requires the exam after the end of registration, and the window in order", () => {
    expect(checkDraft({ ...valid, exam_date: "2026-12-20" }).exam_date).toContain("应晚于报名截止日期 2026-12-20");
    expect(checkDraft({ ...valid, reg_start: "2026-12-21" }).reg_end).toContain("不早于开始日期");
  });

  it("checks the code and the capacity as typed, and leaves the fee to core", () => {
    expect(checkDraft({ ...valid, code: "12345" }).code).toBeDefined();
    expect(checkDraft({ ...valid, code: "012345" }).code).toBeUndefined();
    // Fees are judged by core alone: whatever is typed reaches it (it accepts "¥80.25", "150元", …).
    expect(checkDraft({ ...valid, fee: "¥80.25" }).fee).toBeUndefined();
    expect(checkDraft({ ...valid, fee: "1,50" }).fee).toBeUndefined();
    expect(checkDraft({ ...valid, capacity: 0 }).capacity).toBeDefined();
  });

  it("reads the 职业编码 as the classification dictionary writes it, full-width too", () => {
    expect(checkDraft({ ...valid, occupation_code: "6-31-01-03" }).occupation_code).toBeUndefined();
    expect(checkDraft({ ...valid, occupation_code: "６－３１－０１－０３" }).occupation_code).toBeUndefined();
    expect(checkDraft({ ...valid, occupation_code: "63101" }).occupation_code).toContain("6-31-01-03");
  });
});
