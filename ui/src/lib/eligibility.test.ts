import { describe, expect, it } from "vitest";
import { CONDITION_KINDS, blankCondition, copyRules, verdictTagType, withKind } from "./eligibility";

describe("eligibility editor helpers", () => {
  it("makes a blank of every kind, tagged with that kind", () => {
    for (const kind of CONDITION_KINDS) expect(blankCondition(kind).kind).toBe(kind);
    expect(blankCondition("min_age")).toEqual({ kind: "min_age", years: 16 });
  });

  it("keeps a condition whose kind does not change and starts over when it does", () => {
    const years = { kind: "years_in_occupation" as const, years: 6 };
    expect(withKind(years, "years_in_occupation")).toBe(years);
    expect(withKind(years, "manual")).toEqual({ kind: "manual", text: "" });
  });

  it("copies rules deeply", () => {
    const rules = { paths: [{ conditions: [{ kind: "min_age" as const, years: 16 }] }] };
    const copy = copyRules(rules)!;
    (copy.paths[0].conditions[0] as { years: number }).years = 18;
    expect(rules.paths[0].conditions[0]).toEqual({ kind: "min_age", years: 16 });
    expect(copyRules(null)).toBeNull();
  });

  it("colours verdicts", () => {
    expect(verdictTagType("符合")).toBe("success");
    expect(verdictTagType("不符合")).toBe("danger");
    expect(verdictTagType("需人工核对")).toBe("warning");
  });
});
