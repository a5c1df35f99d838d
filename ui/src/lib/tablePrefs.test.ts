import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PREFS, loadTablePrefs, saveTablePrefs, sortFromTable, visibleColumns } from "./tablePrefs";

describe("table preferences", () => {
  beforeEach(() => localStorage.clear());

  it("survive a save and a load (a restart)", () => {
    saveTablePrefs("applications", { ...DEFAULT_PREFS, hidden: ["phone"], widths: { name: 140 }, pageSize: 100 });
    const loaded = loadTablePrefs("applications");
    expect(loaded.hidden).toEqual(["phone"]);
    expect(loaded.widths).toEqual({ name: 140 });
    expect(loaded.pageSize).toBe(100);
    expect(visibleColumns(loaded).map((c) => c.key)).not.toContain("phone");
  });

  it("fall back to the defaults when nothing or garbage is stored", () => {
    expect(loadTablePrefs("applications")).toEqual(DEFAULT_PREFS);
    localStorage.setItem("skillcert.table.applications", "[1,2");
    expect(loadTablePrefs("applications")).toEqual(DEFAULT_PREFS);
  });

  it("map the table's sort to the server's", () => {
    expect(sortFromTable("name", "descending")).toEqual({ sort: "name", descending: true });
    expect(sortFromTable("phone", "ascending")).toEqual({ sort: "submitted", descending: false });
    expect(sortFromTable("name", null)).toEqual({ sort: "submitted", descending: false });
  });
});
