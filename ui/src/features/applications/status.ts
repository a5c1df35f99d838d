import type { ApplicationStatus, PaymentStatus, PlanSummary, Registration } from "../../api/types";

type TagType = "primary" | "success" | "info" | "warning" | "danger";

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
  return payment === "待支付" ? "warning" : payment === "已支付" ? "success" : "info";
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

export function totalApplications(plan: Pick<PlanSummary, "counts">): number {
  return plan.counts.reduce((sum, c) => sum + c.count, 0);
}

/** Fen to "150.00 元"; no fee is "免费". */
export function formatFee(fen: number): string {
  return fen > 0 ? `${(fen / 100).toFixed(2)} 元` : "免费";
}
