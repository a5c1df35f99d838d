import { describe, expect, it } from "vitest";
import { formatFee, paymentLabel, planTitle, statusTagType, totalApplications } from "./format";

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

describe("formatting", () => {
  it("writes stamps, percentages and day counts as the dashboard shows them", async () => {
    const { formatStamp, percent, daysFromNow } = await import("./format");
    expect(formatStamp("2026-12-05T10:31:02+08:00")).toBe("2026-12-05 10:31");
    expect(percent(1, 3)).toBe("33.3%");
    expect(percent(0, 0)).toBe("--");
    const t = (key: string, named?: Record<string, unknown>) => `${key}:${String(named?.n ?? "")}`;
    expect(daysFromNow(0, t)).toBe("days.today:");
    expect(daysFromNow(3, t)).toBe("days.in:3");
    expect(daysFromNow(-2, t)).toBe("days.ago:2");
  });
});
