import type { ApplicationStatus, PaymentStatus, PlanSummary, Registration, ReportStatus } from "../api/bindings";

export type TagType = "primary" | "success" | "info" | "warning" | "danger";

/** Tag colours follow the candidate portal's dots: waiting is amber, refused red, done green. */
export function statusTagType(status: ApplicationStatus): TagType {
  switch (status) {
    case "待处理":
      return "warning";
    case "申请不通过":
      return "danger";
    case "申请通过":
      return "primary";
    case "已提交申报":
      return "info";
    case "成绩发布":
      return "success";
  }
}

export function paymentTagType(payment: PaymentStatus): TagType {
  switch (payment) {
    case "待支付":
      return "warning";
    case "缓缴":
      return "danger";
    case "已支付":
      return "success";
    case "无需支付":
      return "info";
  }
}

/** A results report's state: red when sent back or overdue, amber while due, blue while reviewed, green accepted. */
export function reportTagType(report: ReportStatus): TagType {
  switch (report.state) {
    case "未上报":
      return (report.working_days_left ?? 0) < 0 ? "danger" : "warning";
    case "退回":
      return "danger";
    case "已上报":
      return "primary";
    case "已通过":
      return "success";
  }
}

/** The portal shows "--" where no fee is due. */
export function paymentLabel(payment: PaymentStatus): string {
  return payment === "无需支付" ? "--" : payment;
}

export function registrationTagType(registration: Registration): TagType {
  return registration === "报名中" ? "success" : registration === "未开始" ? "primary" : "info";
}

/** "电工/--", as the portal writes 职业(工种/职业方向). */
export function planTitle(plan: Pick<PlanSummary, "occupation" | "job">): string {
  return `${plan.occupation}/${plan.job ?? "--"}`;
}

/** "电工/-- 四级/中级工（计划号 3）": how a plan is named in selectors. */
export function planLabel(plan: Pick<PlanSummary, "occupation" | "job" | "level" | "plan_no">): string {
  return `${planTitle(plan)} ${plan.level}（计划号 ${plan.plan_no}）`;
}

export function totalApplications(plan: Pick<PlanSummary, "counts">): number {
  return plan.counts.reduce((sum, c) => sum + c.count, 0);
}

/** Fen to "150.00 元"; no fee is "免费". */
export function formatFee(fen: number): string {
  return fen > 0 ? `${(fen / 100).toFixed(2)} 元` : "免费";
}

/** "2026-12-05T10:31:02+08:00" as "2026-12-05 10:31". */
export function formatStamp(stamp: string): string {
  return stamp.length >= 16 ? `${stamp.slice(0, 10)} ${stamp.slice(11, 16)}` : stamp;
}

/** A percentage with one decimal, or "--" when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part * 100) / whole).toFixed(1)}%` : "--";
}

/** Days until a date as the dashboard says it: 今天 / 3 天后 / 已过 2 天. */
export function daysFromNow(days: number, t: (key: string, named?: Record<string, unknown>) => string): string {
  if (days === 0) return t("days.today");
  return days > 0 ? t("days.in", { n: days }) : t("days.ago", { n: -days });
}
