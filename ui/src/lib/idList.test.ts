import { describe, expect, it } from "vitest";
import { parseIdList } from "./idList";

describe("parseIdList", () => {
  it("splits what operators paste and normalises each number", () => {
    expect(parseIdList("11010519491231002x\n110105198001010016，１１０１０５１９８００１０１００１６、 ")).toEqual([
      "11010519491231002X",
      "110105198001010016",
    ]);
    expect(parseIdList("   ")).toEqual([]);
  });
});
