// 报考条件 rules as the editor builds them. The rules are checked and turned into the notice text in skillcert-core
// (RuleSet::validate / text); this only makes blank parts and labels verdicts for the screens.
import type { Condition, RuleSet, TitleRank, Verdict } from "../api/bindings";

export type ConditionKind = Condition["kind"];

export const CONDITION_KINDS: ConditionKind[] = [
  "min_age",
  "years_in_occupation",
  "prior_certificate",
  "work_after_certificate",
  "min_education",
  "graduation",
  "manual",
  "title",
];

/** 职称 ranks a route may ask for. */
export const TITLE_RANKS: TitleRank[] = ["初级", "中级", "高级"];

export { CERTIFICATE_LEVELS, EDUCATION } from "../api/catalog";

/** A new condition of a kind, with the values most plans use. */
export function blankCondition(kind: ConditionKind): Condition {
  switch (kind) {
    case "min_age":
      return { kind, years: 16 };
    case "years_in_occupation":
      return { kind, years: 1 };
    case "prior_certificate":
      return { kind, level: "五级/初级工", years_held: 0 };
    case "min_education":
      return { kind, education: "普通高中" };
    case "graduation":
      return { kind, schools: ["技工学校"] };
    case "manual":
      return { kind, text: "" };
    case "work_after_certificate":
      return { kind, level: "五级/初级工", years: 3 };
    case "title":
      return { kind, rank: "初级" };
  }
}

/** Changing a condition's kind starts it over: its old values mean nothing to the new kind. */
export function withKind(condition: Condition, kind: ConditionKind): Condition {
  return condition.kind === kind ? condition : blankCondition(kind);
}

/** A deep copy the editor can change without touching the plan it came from. */
export function copyRules(rules: RuleSet | null): RuleSet | null {
  return rules === null ? null : (JSON.parse(JSON.stringify(rules)) as RuleSet);
}

/** Element Plus tag colours for a verdict. */
export function verdictTagType(verdict: Verdict): "success" | "danger" | "warning" {
  switch (verdict) {
    case "符合":
      return "success";
    case "不符合":
      return "danger";
    case "需人工核对":
      return "warning";
  }
}
