import { describe, expect, it } from "vitest";
import { formatFee, paymentLabel, planTitle, statusTagType, totalApplications } from "./status";

describe("status helpers", () => {
  it("colours each status", () => {
    expect(statusTagType("待处理")).toBe("warning");
    expect(statusTagType("申请不通过")).toBe("danger");
    expect(statusTagType("成绩发布")).toBe("success");
  });

  it("writes plans and fees as the portal does", () => {
    expect(planTitle({ occupation: "电工", job: null })).toBe("电工/--");
    expect(planTitle({ occupation: "焊工", job: "手工电弧焊" })).toBe("焊工/手工电弧焊");
    expect(paymentLabel("无需支付")).toBe("--");
    expect(paymentLabel("待支付")).toBe("待支付");
    expect(formatFee(0)).toBe("免费");
    expect(formatFee(15050)).toBe("150.50 元");
  });

  it("sums the counts of a plan", () => {
    expect(
      totalApplications({
        counts: [
          { status: "待处理", count: 3 },
          { status: "申请通过", count: 4 },
        ],
      }),
    ).toBe(7);
  });
});
