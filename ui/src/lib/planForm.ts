// The 认定计划 form's own checks, shown inline as the operator types. The same rules are enforced again in
// skillcert-core (PlanDraft::validate); these only spare a round trip.
import type { Plan, PlanDraft } from "../api/bindings";

export { LEVELS } from "../api/catalog";

export function emptyDraft(): PlanDraft {
  return {
    occupation: "",
    occupation_code: "",
    job: "",
    level: "四级/中级工",
    reg_start: "",
    reg_end: "",
    exam_date: "",
    code: "",
    plan_no: "",
    conditions: "",
    notice: "",
    publisher: "",
    announced_on: "",
    capacity: null,
    fee: "",
  };
}

export function draftOf(plan: Plan): PlanDraft {
  return {
    occupation: plan.occupation,
    occupation_code: plan.occupation_code ?? "",
    job: plan.job ?? "",
    level: plan.level,
    reg_start: plan.reg_start,
    reg_end: plan.reg_end,
    exam_date: plan.exam_date,
    code: plan.code,
    plan_no: plan.plan_no,
    conditions: plan.conditions,
    notice: plan.notice,
    publisher: plan.publisher,
    announced_on: plan.announced_on,
    capacity: plan.capacity,
    fee: plan.fee_fen > 0 ? (plan.fee_fen / 100).toFixed(2) : "",
  };
}

/** Problems per field (Chinese, naming the fix); an empty object when the draft can be sent. */
export function checkDraft(d: PlanDraft): Partial<Record<keyof PlanDraft, string>> {
  const problems: Partial<Record<keyof PlanDraft, string>> = {};
  if (!d.occupation.trim()) problems.occupation = "请填写职业名称";
  // Full-width digits and dashes are read as typed (core does the same).
  const code = d.occupation_code
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[－—–‐]/g, "-");
  if (code && code !== "--" && !/^\d-\d{2}-\d{2}-\d{2}(-\d{2})?$/.test(code)) {
    problems.occupation_code = "职业编码应为国家职业分类大典的编码，如 6-31-01-03";
  }
  if (!d.reg_start) problems.reg_start = "请选择报名开始日期";
  if (!d.reg_end) problems.reg_end = "请选择报名截止日期";
  if (!d.exam_date) problems.exam_date = "请选择计划考试日期";
  // ISO dates compare as text.
  if (d.reg_start && d.reg_end && d.reg_start > d.reg_end) {
    problems.reg_end = `报名截止日期应不早于开始日期 ${d.reg_start}`;
  }
  if (d.reg_end && d.exam_date && d.exam_date <= d.reg_end) {
    problems.exam_date = `计划考试日期应晚于报名截止日期 ${d.reg_end}`;
  }
  if (d.code.trim() && !/^\d{6}$/.test(d.code.trim())) problems.code = "报名识别码应为6位数字，留空自动生成";
  // The fee is judged by core alone (PlanDraft::validate): its refusal names the field and the forms it takes.
  if (d.capacity !== null && (!Number.isInteger(d.capacity) || d.capacity <= 0)) {
    problems.capacity = "计划人数应为正整数；不限人数请留空";
  }
  return problems;
}
