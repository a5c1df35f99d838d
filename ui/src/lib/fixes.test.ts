import { describe, expect, it } from "vitest";
import { fixHint } from "./fixes";

describe("fixHint", () => {
  it("words each remedy core names, with its details", () => {
    expect(fixHint({ kind: "arrange_first" })).toContain("编排");
    expect(fixHint({ kind: "set_setting", key: "agency.name", label: "机构名称" })).toContain("机构名称");
    expect(fixHint({ kind: "create_database", path: "/tmp/a.db" })).toContain("/tmp/a.db");
    expect(fixHint(null)).toBe("");
  });
});
