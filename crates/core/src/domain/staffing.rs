//! The rules 考务 staff are assigned by (domain.md, "考务"): an examiner's certificate is valid on the day and covers
//! the occupation; a panel for 二级 and above holds at least three 高级考评员; no examiner serves the same agency more
//! than three sittings in a row within a year; a declared conflict of interest keeps an examiner out of the room of
//! those candidates; every day of the exam has a 督导员. A broken rule is listed, never silently allowed: the
//! assignment stands only with the operator's reason, which the audit trail keeps.

use chrono::{Days, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::level::Level;
use super::venue::{ExaminerGrade, StaffRole, ValidStaff};

/// Which rule an assignment breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum StaffRule {
    /// 考评员证书在考试当天有效.
    CertificateValid,
    /// 考评员证书涵盖本职业.
    CoversOccupation,
    /// 二级及以上的考评组至少 3 名高级考评员.
    SeniorPanel,
    /// 同一机构连续考评不超过 3 次（一年内）.
    NotFourInARow,
    /// 申报的回避关系.
    DeclaredConflict,
    /// 每个考试日有督导员.
    SupervisorPresent,
}

impl StaffRule {
    pub fn label(self) -> &'static str {
        match self {
            StaffRule::CertificateValid => "考评员证书须在考试当天有效",
            StaffRule::CoversOccupation => "考评员证书须涵盖本职业",
            StaffRule::SeniorPanel => "二级及以上的考评组须有至少 3 名高级考评员",
            StaffRule::NotFourInARow => "同一考评员在本机构一年内连续考评不得超过 3 次",
            StaffRule::DeclaredConflict => "考评员须回避其申报的亲属和本人培训的考生",
            StaffRule::SupervisorPresent => "每个考试日须有督导员",
        }
    }
}

/// One broken rule: which, where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Violation {
    pub rule: StaffRule,
    /// "第01考场 理论知识" or "2026-12-28".
    pub place: String,
    pub detail: String,
}

impl Violation {
    /// "第01考场 操作技能：王五的考评员证书 2026-06-30 已到期（二级…）".
    pub fn describe(&self) -> String {
        format!("{}：{}（规则：{}）", self.place, self.detail, self.rule.label())
    }
}

/// An examiner or other person as assigned to one room's sitting, with what the checks need to know of them.
pub struct Assigned<'a> {
    pub person: &'a ValidStaff,
    /// The agency's earlier sitting days (within the year before this one) this person served on.
    pub served_on: &'a [NaiveDate],
    /// Candidates' 证件号码 and units (工作单位, training schools) this person declared a conflict with.
    pub declared: &'a [String],
}

/// A candidate of the room, as a declared conflict can name them.
pub struct Sitter<'a> {
    pub name: &'a str,
    pub id_number: &'a str,
    pub employer: Option<&'a str>,
}

/// What is sat, where and when.
pub struct Sitting<'a> {
    pub place: String,
    pub day: NaiveDate,
    pub occupation: &'a str,
    pub level: Level,
    /// The agency's sitting days within the year before `day`, newest first.
    pub earlier_days: &'a [NaiveDate],
}

/// Most sittings in a row an examiner may serve one agency within a year.
pub const MOST_IN_A_ROW: usize = 3;
/// Senior examiners a panel for 二级 and above needs.
pub const SENIORS_FOR_HIGH_LEVELS: usize = 3;

/// Every rule the staff of one room's sitting break.
pub fn check_room(sitting: &Sitting<'_>, staff: &[Assigned<'_>], sitters: &[Sitter<'_>]) -> Vec<Violation> {
    let mut found = Vec::new();
    let violation = |rule, detail: String| Violation { rule, place: sitting.place.clone(), detail };
    let examiners: Vec<&Assigned<'_>> = staff.iter().filter(|a| a.person.role == StaffRole::Examiner).collect();
    for a in &examiners {
        let p = a.person;
        match p.valid_until {
            Some(until) if until < sitting.day => found.push(violation(
                StaffRule::CertificateValid,
                format!("{}的考评员证书 {} 已到期，考试日为 {}", p.name, until, sitting.day),
            )),
            None => found.push(violation(StaffRule::CertificateValid, format!("{}没有登记考评员证书的有效期", p.name))),
            _ => {}
        }
        let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if !p.occupations.iter().any(|o| squeeze(o) == squeeze(sitting.occupation)) {
            let covered = if p.occupations.is_empty() { "未登记".to_string() } else { p.occupations.join("、") };
            found.push(violation(
                StaffRule::CoversOccupation,
                format!("{}的考评职业为{covered}，不含“{}”", p.name, sitting.occupation),
            ));
        }
        let in_a_row = sitting.earlier_days.iter().take_while(|d| a.served_on.contains(d)).count();
        if in_a_row >= MOST_IN_A_ROW {
            let days: Vec<String> = sitting.earlier_days[..in_a_row].iter().rev().map(NaiveDate::to_string).collect();
            found.push(violation(
                StaffRule::NotFourInARow,
                format!(
                    "{}已在本机构连续考评 {in_a_row} 次（{}），本次将是第 {} 次",
                    p.name,
                    days.join("、"),
                    in_a_row + 1
                ),
            ));
        }
    }
    if matches!(sitting.level, Level::Two | Level::One) && !examiners.is_empty() {
        let seniors = examiners.iter().filter(|a| a.person.grade == Some(ExaminerGrade::Senior)).count();
        if seniors < SENIORS_FOR_HIGH_LEVELS {
            found.push(violation(
                StaffRule::SeniorPanel,
                format!("{}的考评组只有 {seniors} 名高级考评员", sitting.level),
            ));
        }
    }
    for a in staff {
        for sitter in sitters {
            let named = a.declared.iter().any(|d| {
                let d = d.trim();
                d.eq_ignore_ascii_case(sitter.id_number)
                    || sitter.employer.is_some_and(|e| !d.is_empty() && e.trim() == d)
            });
            if named {
                found.push(violation(
                    StaffRule::DeclaredConflict,
                    format!("{}申报须回避的考生{}（{}）在本考场", a.person.name, sitter.name, sitter.id_number),
                ));
            }
        }
    }
    found
}

/// The exam days that have no 督导员 assigned.
pub fn check_supervision(days: &[(NaiveDate, bool)]) -> Vec<Violation> {
    days.iter()
        .filter(|(_, supervised)| !supervised)
        .map(|(day, _)| Violation {
            rule: StaffRule::SupervisorPresent,
            place: day.to_string(),
            detail: "还没有指派督导员".to_string(),
        })
        .collect()
}

/// The first day of the year that counts for [`MOST_IN_A_ROW`].
pub fn year_before(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(365)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::id_number::IdType;

    fn examiner(name: &str, grade: ExaminerGrade, until: &str, occupations: &[&str]) -> ValidStaff {
        ValidStaff {
            name: name.into(),
            id_type: IdType::ResidentId,
            id_number: "110105198001010016".into(),
            role: StaffRole::Examiner,
            phone: "13800000000".into(),
            employer: None,
            grade: Some(grade),
            certificate_number: Some("KP0001".into()),
            valid_until: Some(until.parse().unwrap()),
            occupations: occupations.iter().map(|o| o.to_string()).collect(),
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn each_rule_is_named_with_the_person_and_the_reason() {
        let wang = examiner("王五", ExaminerGrade::Senior, "2026-06-30", &["电工"]);
        let li = examiner("李六", ExaminerGrade::Examiner, "2028-01-01", &["焊工"]);
        let zhao = examiner("赵七", ExaminerGrade::Senior, "2028-01-01", &["电工"]);
        let earlier = [day("2026-11-20"), day("2026-09-10"), day("2026-06-01"), day("2026-03-01")];
        let served = [day("2026-11-20"), day("2026-09-10"), day("2026-06-01")];
        let declared = vec!["广州电工培训学校".to_string()];
        let sitting = Sitting {
            place: "第01考场 操作技能".into(),
            day: day("2026-12-28"),
            occupation: "电工",
            level: Level::parse("二级").unwrap(),
            earlier_days: &earlier,
        };
        let staff = [
            Assigned { person: &wang, served_on: &[], declared: &[] },
            Assigned { person: &li, served_on: &[], declared: &declared },
            Assigned { person: &zhao, served_on: &served, declared: &[] },
        ];
        let sitters =
            [Sitter { name: "张三", id_number: "11010519491231002X", employer: Some("广州电工培训学校") }];
        let found: Vec<String> = check_room(&sitting, &staff, &sitters).iter().map(Violation::describe).collect();
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].contains("王五的考评员证书 2026-06-30 已到期"), "{}", found[0]);
        assert!(found[1].contains("李六的考评职业为焊工，不含“电工”"), "{}", found[1]);
        assert!(
            found[2].contains("赵七已在本机构连续考评 3 次（2026-06-01、2026-09-10、2026-11-20），本次将是第 4 次")
        );
        assert!(found[3].contains("二级/技师的考评组只有 2 名高级考评员"), "{}", found[3]);
        assert!(found[4].starts_with("第01考场 操作技能：李六申报须回避的考生张三"), "{}", found[4]);

        // Three in a row with a gap before: the run is what counts; a 三级 panel needs no seniors.
        let broken = [day("2026-11-20"), day("2026-06-01"), day("2026-03-01")];
        let sitting = Sitting { level: Level::parse("三级").unwrap(), ..sitting };
        let fine = [Assigned { person: &zhao, served_on: &broken, declared: &[] }];
        assert!(check_room(&sitting, &fine, &[]).is_empty());
        assert_eq!(check_supervision(&[(day("2026-12-28"), true), (day("2026-12-29"), false)]).len(), 1);
    }
}
