import { describe, expect, it } from "vitest";
import { fixHint, fixRoute } from "./fixes";

describe("fixHint", () => {
  it("words each remedy core names, with its details", () => {
    expect(fixHint({ kind: "arrange_first" })).toContain("编排");
    expect(fixHint({ kind: "set_setting", key: "agency.name", label: "机构名称" })).toContain("机构名称");
    expect(fixHint({ kind: "create_database", path: "/tmp/a.db" })).toContain("/tmp/a.db");
    expect(fixHint(null)).toBe("");
  });
});

describe("fixRoute", () => {
  it("leads to the screen where the fix is done, and nowhere for a fix done in place", () => {
    expect(fixRoute({ kind: "upload_photo" })).toBe("/import");
    expect(fixRoute({ kind: "record_payment" })).toBe("/applications");
    expect(fixRoute({ kind: "give_review_time" })).toBeNull();
    expect(fixRoute(null)).toBeNull();
  });
});
