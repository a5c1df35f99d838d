// What needs the operator's attention in a plan, in the order it should be dealt with.
import type { PlanDashboard } from "../api/bindings";

export interface Attention {
  /** Locale key under dashboard.attention, with {n} (and {days}). */
  key: "pending" | "withoutPhoto" | "unpaid" | "closing" | "examSoon" | "reportDue" | "reportOverdue" | "reportReturned";
  n: number;
  /** Where the operator deals with it. */
  route: string;
  level: "warning" | "danger" | "info";
}

export function attentionFor(plan: PlanDashboard): Attention[] {
  const count = (status: string) => plan.counts.find((c) => c.status === status)?.count ?? 0;
  const pending = count("待处理");
  const items: Attention[] = [];
  if (pending > 0) items.push({ key: "pending", n: pending, route: "/review", level: "warning" });
  if (plan.registration !== "已关闭" && plan.days_to_reg_end >= 0 && plan.days_to_reg_end <= 3) {
    items.push({ key: "closing", n: plan.days_to_reg_end, route: "/plans", level: "warning" });
  }
  if (plan.without_photo > 0 && plan.days_to_exam >= 0) {
    items.push({ key: "withoutPhoto", n: plan.without_photo, route: "/applications", level: "danger" });
  }
  if (plan.unpaid > 0 && plan.days_to_exam >= 0) {
    items.push({ key: "unpaid", n: plan.unpaid, route: "/applications", level: "warning" });
  }
  const approved = count("申请通过");
  if (approved > 0 && plan.days_to_exam >= 0 && plan.days_to_exam <= 14) {
    items.push({ key: "examSoon", n: approved, route: "/exam", level: "danger" });
  }
  // The results report to the province, once the exam is held: its working days left, or how far overdue.
  const left = plan.report.working_days_left;
  if (left !== null && plan.days_to_exam < 0) {
    if (plan.report.state === "退回") items.push({ key: "reportReturned", n: left, route: "/exam", level: "danger" });
    else if (left < 0) items.push({ key: "reportOverdue", n: -left, route: "/exam", level: "danger" });
    else items.push({ key: "reportDue", n: left, route: "/exam", level: left <= 2 ? "danger" : "warning" });
  }
  return items;
}
