//! 报考条件 as rules: a plan's rule set is a list of alternative paths (条件一, 条件二, …), each a conjunction of
//! conditions. What can be checked from a candidate's data is checked; what cannot (training hours, the subject of a
//! diploma) is a 需人工核对 condition. The text candidates read on the plan notice is generated from the same rules,
//! so the two cannot drift apart. The check only advises: the reviewer decides.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::candidate::{EDUCATION, parse_education};
use super::level::Level;
use crate::error::{Error, Result};

/// A plan's 报考条件: meeting any one path is enough.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleSet {
    pub paths: Vec<RulePath>,
}

/// One 条件: every condition must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RulePath {
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// 年满 N 周岁 on the plan's exam date.
    MinAge { years: u32 },
    /// 累计从事本职业或相关职业工作 N 年（含）以上 (the candidate's 从事本职业年限).
    YearsInOccupation { years: u32 },
    /// A certificate of this occupation at `level` or higher, held at least `years_held` years on the exam date.
    PriorCertificate { level: Level, years_held: u32 },
    /// 文化程度 at least this one (a GB/T 4658 name).
    MinEducation { education: String },
    /// A graduation certificate of one of these kinds (文化程度 names, e.g. 技工学校, 中等专业学校).
    Graduation { schools: Vec<String> },
    /// Checked by a person (需人工核对), e.g. 经本职业正规培训达规定标准学时.
    Manual { text: String },
    /// 取得本职业或相关职业 `level`（或更高等级）证书后，累计从事本职业或相关职业工作满 N 年: the years from the later of
    /// the certificate's date and the 参加工作时间 to the exam date (the standards' wording; `PriorCertificate`
    /// measures years since the certificate, as rules saved before this wording did).
    WorkAfterCertificate { level: Level, years: u32 },
    /// 取得本专业或相关专业 `rank`（或更高）职称 (the 2022+ standards' routes from 三级 up).
    Title { rank: TitleRank },
}

/// A 职称's rank, as the routes through titles ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum TitleRank {
    #[serde(rename = "初级")]
    Junior,
    #[serde(rename = "中级")]
    Intermediate,
    #[serde(rename = "高级")]
    Senior,
}

impl TitleRank {
    pub fn label(self) -> &'static str {
        match self {
            TitleRank::Junior => "初级",
            TitleRank::Intermediate => "中级",
            TitleRank::Senior => "高级",
        }
    }

    /// The rank of a 职称 as people write it (助理工程师, 工程师, 高级会计师, 中级职称, 讲师, …); None when it does not
    /// say (a skill level such as 高级技师 is not a 职称).
    pub fn of_title(title: &str) -> Option<TitleRank> {
        let t = title.trim();
        if t.contains("技师") && !t.contains("工程技师") || t.contains("技工") {
            return None;
        }
        let any = |words: &[&str]| words.iter().any(|w| t.contains(w));
        // The health series: 医师/护师/药师 are 师级, a junior title; 主治/主管 ones are intermediate.
        let health_junior = any(&["医师", "护师", "药师"]) && !any(&["主治", "主管", "主任"]);
        if any(&["正高", "副高", "高级", "教授", "研究员", "主任医师", "副主任"]) {
            Some(TitleRank::Senior)
        } else if health_junior || any(&["助理", "初级", "技术员", "员", "医士", "助教", "护士"]) {
            Some(TitleRank::Junior)
        } else if any(&[
            "中级",
            "工程师",
            "经济师",
            "会计师",
            "统计师",
            "审计师",
            "农艺师",
            "讲师",
            "主治",
            "主管",
            "师",
        ]) {
            Some(TitleRank::Intermediate)
        } else {
            None
        }
    }
}

/// The longest years any condition may ask for; more is a typing slip.
const MAX_YEARS: u32 = 60;

impl RuleSet {
    /// Checks the rules an operator wrote (or a file brought): at least one path, no empty path, known 文化程度
    /// names, years in range, no empty manual text. Names are normalised (大专 → 大学专科).
    pub fn validate(&self) -> Result<RuleSet> {
        if self.paths.is_empty() {
            return Err(Error::invalid("报考条件", "至少需要一个条件（条件一）；不设条件请删除整套规则"));
        }
        let mut paths = Vec::with_capacity(self.paths.len());
        for (i, path) in self.paths.iter().enumerate() {
            let label = path_label(i);
            if path.conditions.is_empty() {
                return Err(Error::invalid("报考条件", format!("{label}没有任何要求，请添加要求或删除{label}")));
            }
            let mut conditions = Vec::with_capacity(path.conditions.len());
            for c in &path.conditions {
                conditions.push(c.validated().map_err(|e| match e {
                    Error::Invalid { message, .. } => Error::invalid("报考条件", format!("{label}：{message}")),
                    other => other,
                })?);
            }
            paths.push(RulePath { conditions });
        }
        Ok(RuleSet { paths })
    }

    /// The 报考条件 text of the plan notice.
    pub fn text(&self) -> String {
        match self.paths.as_slice() {
            [only] => format!("须同时具备以下条件：{}。", path_text(only)),
            paths => {
                let mut text = String::from("具备以下条件之一者：");
                for (i, path) in paths.iter().enumerate() {
                    text.push_str(&format!("\n{}：{}。", path_label(i), path_text(path)));
                }
                text
            }
        }
    }

    /// The shared national pattern for a level (国家职业技能标准的申报条件), for the operator to pick and edit: the
    /// standards of 2019–2021 ([`Pattern::Standard2019`]) or the 2022 onwards pattern ([`Pattern::Standard2022`]).
    /// None for 专项职业能力, which has no national pattern.
    pub fn preset(level: Level, pattern: Pattern) -> Option<RuleSet> {
        use Condition::*;
        let manual = |text: &str| Manual { text: text.to_string() };
        let schools = |names: &[&str]| Graduation { schools: names.iter().map(|s| s.to_string()).collect() };
        let after = |level: Level, years: u32| WorkAfterCertificate { level, years };
        let holds = |level: Level| PriorCertificate { level, years_held: 0 };
        let work = |years: u32| YearsInOccupation { years };
        let senior_school = || {
            manual(
                "具有高级技工学校、技师学院毕业证书（含尚未取得毕业证书的在校应届毕业生），或以高级技能为培养目标的高等职业学校本专业或相关专业毕业证书",
            )
        };
        let title = |rank: TitleRank| Title { rank };
        let title_then = || manual("取得职称后累计从事本职业或相关职业工作满1年");
        let paths: Vec<Vec<Condition>> = match (level, pattern) {
            (Level::Five, _) => vec![vec![work(1)], vec![manual("本职业或相关职业学徒期满")]],
            (Level::Four, Pattern::Standard2019) => vec![
                vec![after(Level::Five, 4)],
                vec![work(6)],
                vec![
                    schools(&["技工学校", "中等专业学校", "职业高中", "大学专科"]),
                    manual("所学专业为本专业或相关专业（含尚未取得毕业证书的在校应届毕业生）"),
                ],
            ],
            (Level::Four, Pattern::Standard2022) => vec![
                vec![after(Level::Five, 3)],
                vec![work(5)],
                vec![manual(
                    "取得技工院校或中等及以上职业院校、专科及以上普通高等学校本专业或相关专业毕业证书（含在读应届毕业生）",
                )],
            ],
            (Level::Three, pattern) => {
                let mut paths = vec![
                    vec![after(Level::Four, if pattern == Pattern::Standard2022 { 4 } else { 5 })],
                    vec![holds(Level::Four), senior_school()],
                    vec![
                        MinEducation { education: "大学专科".into() },
                        after(Level::Four, 2),
                        manual("所学专业为本专业或相关专业"),
                    ],
                ];
                if pattern == Pattern::Standard2022 {
                    paths.push(vec![title(TitleRank::Junior), title_then()]);
                }
                paths
            }
            (Level::Two, pattern) => {
                let mut paths = vec![
                    vec![after(Level::Three, 4)],
                    vec![after(Level::Three, 3), manual("高级技工学校、技师学院毕业生")],
                    vec![manual("取得本职业或相关职业预备技师证书的技师学院毕业生"), work(2)],
                ];
                if pattern == Pattern::Standard2022 {
                    paths.push(vec![title(TitleRank::Intermediate), title_then()]);
                }
                paths
            }
            (Level::One, pattern) => {
                let mut paths = vec![vec![after(Level::Two, 4)]];
                if pattern == Pattern::Standard2022 {
                    paths.push(vec![title(TitleRank::Senior), title_then()]);
                }
                paths
            }
            (Level::Special, _) => return None,
        };
        Some(RuleSet { paths: paths.into_iter().map(|conditions| RulePath { conditions }).collect() })
    }
}

/// Which national pattern a preset follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Pattern {
    /// 国家职业技能标准 of 2019–2021.
    Standard2019,
    /// The pattern of the standards revised from 2022 on (shorter years of work, routes through 职称).
    Standard2022,
}

impl Condition {
    fn validated(&self) -> Result<Condition> {
        let years = |n: u32, what: &str| {
            if n > MAX_YEARS {
                Err(Error::invalid("报考条件", format!("{what}“{n}”年过长，应在0至{MAX_YEARS}之间")))
            } else {
                Ok(n)
            }
        };
        Ok(match self {
            Condition::MinAge { years: n } => {
                if !(1..=MAX_YEARS).contains(n) {
                    return Err(Error::invalid("报考条件", format!("年龄“{n}”周岁应在1至{MAX_YEARS}之间")));
                }
                Condition::MinAge { years: *n }
            }
            Condition::YearsInOccupation { years: n } => {
                Condition::YearsInOccupation { years: years(*n, "从事本职业年限")? }
            }
            Condition::PriorCertificate { level, years_held } => {
                if level.digit().is_none() {
                    return Err(Error::invalid("报考条件", "现有证书的等级应为五级至一级之一"));
                }
                Condition::PriorCertificate { level: *level, years_held: years(*years_held, "取证年限")? }
            }
            Condition::MinEducation { education } => Condition::MinEducation { education: parse_education(education)? },
            Condition::Graduation { schools } => {
                if schools.is_empty() {
                    return Err(Error::invalid("报考条件", "毕业证书要求至少列出一种学校"));
                }
                let mut names = Vec::with_capacity(schools.len());
                for s in schools {
                    let name = parse_education(s)?;
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                Condition::Graduation { schools: names }
            }
            Condition::Manual { text } => {
                let text = text.trim().trim_end_matches(['。', '；', ';']).to_string();
                if text.is_empty() {
                    return Err(Error::invalid("报考条件", "需人工核对的要求不能为空，请填写要求或删除它"));
                }
                Condition::Manual { text }
            }
            Condition::WorkAfterCertificate { level, years: n } => {
                if level.digit().is_none() {
                    return Err(Error::invalid("报考条件", "现有证书的等级应为五级至一级之一"));
                }
                Condition::WorkAfterCertificate { level: *level, years: years(*n, "取证后工作年限")? }
            }
            Condition::Title { rank } => Condition::Title { rank: *rank },
        })
    }

    /// How the condition reads on the plan notice.
    pub fn text(&self) -> String {
        match self {
            Condition::MinAge { years } => format!("年满{years}周岁（以计划考试日期计）"),
            Condition::YearsInOccupation { years } => format!("累计从事本职业或相关职业工作{years}年（含）以上"),
            Condition::PriorCertificate { level, years_held: 0 } => {
                format!("取得本职业或相关职业{}（或更高等级）职业资格证书或职业技能等级证书", level.label())
            }
            Condition::PriorCertificate { level, years_held } => format!(
                "取得本职业或相关职业{}（或更高等级）职业资格证书或职业技能等级证书满{years_held}年（含）以上",
                level.label()
            ),
            Condition::MinEducation { education } => format!("具有{education}及以上文化程度"),
            Condition::Graduation { schools } => format!("具有{}毕业证书", schools.join("、")),
            Condition::Manual { text } => text.clone(),
            Condition::WorkAfterCertificate { level, years } => format!(
                "取得本职业或相关职业{}（或更高等级）职业资格证书或职业技能等级证书后，累计从事本职业或相关职业工作满{years}年（含）",
                level.label()
            ),
            Condition::Title { rank } => format!("取得本专业或相关专业{}（或更高）专业技术职称", rank.label()),
        }
    }
}

/// 条件一, 条件二, …
pub fn path_label(index: usize) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match NUMERALS.get(index) {
        Some(n) => format!("条件{n}"),
        None => format!("条件{}", index + 1),
    }
}

fn path_text(path: &RulePath) -> String {
    path.conditions.iter().map(Condition::text).collect::<Vec<_>>().join("，且")
}

/// A certificate a candidate holds, from wherever SkillCert learnt of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCertificate {
    /// Where it comes from, as the reviewer reads it: 现有证书, 原证书编号, 本机构颁发.
    pub source: &'static str,
    /// 职业 (or the certificate's name, which usually contains it); None when unknown.
    pub occupation: Option<String>,
    pub level: Option<Level>,
    pub number: Option<String>,
    pub issued: IssueDate,
}

/// How much of a certificate's date is known: a 原证书编号 gives only its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueDate {
    Day(NaiveDate),
    Year(i32),
    Unknown,
}

/// What the check reads about a candidate applying to a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub birth_date: Option<NaiveDate>,
    pub years_in_occupation: Option<u32>,
    /// 参加工作时间.
    pub work_started_on: Option<NaiveDate>,
    /// 职称 as written.
    pub title: Option<String>,
    /// A GB/T 4658 name as stored (short forms are accepted too).
    pub education: Option<String>,
    pub certificates: Vec<HeldCertificate>,
}

/// What the plan says the candidate applies for.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub occupation: &'a str,
    pub exam_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Verdict {
    #[serde(rename = "符合")]
    Eligible,
    #[serde(rename = "不符合")]
    NotEligible,
    #[serde(rename = "需人工核对")]
    NeedsReview,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Eligible => "符合",
            Verdict::NotEligible => "不符合",
            Verdict::NeedsReview => "需人工核对",
        }
    }
}

/// One condition (or one path): met, not met, or not decidable from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    NotMet,
    Unknown,
}

impl Outcome {
    /// Every one must be met: a failure decides, then anything unknown.
    fn all(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
        outcomes.into_iter().fold(Outcome::Met, |acc, o| match (acc, o) {
            (Outcome::NotMet, _) | (_, Outcome::NotMet) => Outcome::NotMet,
            (Outcome::Unknown, _) | (_, Outcome::Unknown) => Outcome::Unknown,
            _ => Outcome::Met,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConditionCheck {
    /// The condition as the notice writes it.
    pub condition: String,
    pub outcome: Outcome,
    /// The data it was decided on, or why it could not be ("出生日期 2010-05-02，考试日 15 周岁").
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PathCheck {
    /// 条件一, 条件二, …
    pub label: String,
    pub outcome: Outcome,
    pub checks: Vec<ConditionCheck>,
}

/// The check of one application against its plan's rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub paths: Vec<PathCheck>,
    /// One line for lists, the audit trail and reports.
    pub summary: String,
}

/// Checks a candidate against a rule set: 符合 when some path is met in full; 不符合 when every path has a condition
/// the data contradicts; otherwise 需人工核对, naming what a person must look at.
pub fn evaluate(rules: &RuleSet, target: Target<'_>, facts: &Facts) -> Evaluation {
    let paths: Vec<PathCheck> = rules
        .paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let checks: Vec<ConditionCheck> = path.conditions.iter().map(|c| check(c, target, facts)).collect();
            PathCheck { label: path_label(i), outcome: Outcome::all(checks.iter().map(|c| c.outcome)), checks }
        })
        .collect();
    let verdict = if paths.iter().any(|p| p.outcome == Outcome::Met) {
        Verdict::Eligible
    } else if paths.iter().any(|p| p.outcome == Outcome::Unknown) {
        Verdict::NeedsReview
    } else {
        Verdict::NotEligible
    };
    let summary = summary(verdict, &paths);
    Evaluation { verdict, paths, summary }
}

fn summary(verdict: Verdict, paths: &[PathCheck]) -> String {
    let list = |wanted: Outcome| {
        paths
            .iter()
            .filter(|p| p.outcome == wanted)
            .map(|p| {
                let details: Vec<&str> =
                    p.checks.iter().filter(|c| c.outcome == wanted).map(|c| c.detail.as_str()).collect();
                format!("{}（{}）", p.label, details.join("；"))
            })
            .collect::<Vec<_>>()
            .join("；")
    };
    match verdict {
        Verdict::Eligible => {
            let met: Vec<&str> = paths.iter().filter(|p| p.outcome == Outcome::Met).map(|p| p.label.as_str()).collect();
            format!("符合{}", met.join("、"))
        }
        Verdict::NeedsReview => format!("需人工核对：{}", list(Outcome::Unknown)),
        Verdict::NotEligible => format!("不符合：{}", list(Outcome::NotMet)),
    }
}

/// Whole years from `from` to `on`: a year is complete on its anniversary (a 29 February anniversary falls on
/// 1 March in other years).
pub fn full_years(from: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - from.year();
    if (on.month(), on.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn check(condition: &Condition, target: Target<'_>, facts: &Facts) -> ConditionCheck {
    use Outcome::*;
    let (outcome, detail) = match condition {
        Condition::MinAge { years } => match facts.birth_date {
            None => (Unknown, "未登记出生日期，年龄无法核验".to_string()),
            Some(birth) => {
                let age = full_years(birth, target.exam_date);
                let outcome = if age >= *years as i32 { Met } else { NotMet };
                (outcome, format!("出生日期 {birth}，至考试日 {} 为 {age} 周岁", target.exam_date))
            }
        },
        Condition::YearsInOccupation { years } => match facts.years_in_occupation {
            None => (Unknown, "未填写从事本职业年限".to_string()),
            Some(stated) => {
                let outcome = if stated >= *years { Met } else { NotMet };
                let tail = if outcome == Met { String::new() } else { format!("，不足 {years} 年") };
                (outcome, format!("从事本职业年限 {stated} 年{tail}"))
            }
        },
        Condition::PriorCertificate { level, years_held } => check_certificates(*level, *years_held, target, facts),
        Condition::MinEducation { education } => match education_of(facts) {
            Err(detail) => (Unknown, detail),
            Ok(held) => {
                let outcome = if education_rank(&held) >= education_rank(education) { Met } else { NotMet };
                (outcome, format!("文化程度为{held}"))
            }
        },
        Condition::Graduation { schools } => match education_of(facts) {
            Err(detail) => (Unknown, detail),
            Ok(held) if schools.contains(&held) => (Met, format!("文化程度为{held}")),
            Ok(held) => (NotMet, format!("文化程度为{held}，不是{}", schools.join("、"))),
        },
        Condition::Manual { .. } => (Unknown, condition.text()),
        Condition::WorkAfterCertificate { level, years } => check_work_after(*level, *years, target, facts),
        Condition::Title { rank } => match facts.title.as_deref() {
            None => (NotMet, "未登记职称（如持有，请在个人资料中补充）".to_string()),
            Some(title) => match TitleRank::of_title(title) {
                None => (Unknown, format!("职称“{title}”的级别无法判断，需核对")),
                Some(held) if held >= *rank => (Met, format!("职称为{title}（{}）", held.label())),
                Some(held) => (NotMet, format!("职称为{title}（{}），低于{}", held.label(), rank.label())),
            },
        },
    };
    ConditionCheck { condition: condition.text(), outcome, detail }
}

fn education_of(facts: &Facts) -> std::result::Result<String, String> {
    match facts.education.as_deref() {
        None => Err("未填写文化程度".to_string()),
        Some(text) => parse_education(text).map_err(|_| format!("文化程度“{text}”无法识别")),
    }
}

/// Higher is more schooling; the four upper-secondary kinds rank alike.
fn education_rank(name: &str) -> usize {
    let position = EDUCATION.iter().position(|(n, _)| *n == name).unwrap_or(EDUCATION.len() - 1);
    let tier = match position {
        0..=3 => position,
        4..=7 => 4,
        other => other - 3,
    };
    EDUCATION.len() - tier
}

/// The best any certificate of `level` or higher does for "then N years of work": years from the later of its date
/// and the 参加工作时间 (a certificate known only by its year counts from that year's last day, decided, or its
/// first, to be checked).
fn check_work_after(level: Level, years: u32, target: Target<'_>, facts: &Facts) -> (Outcome, String) {
    if facts.certificates.is_empty() {
        return no_certificate();
    }
    let Some(started) = facts.work_started_on else {
        return (Outcome::Unknown, "未填写参加工作时间，取证后的工作年限需核对".to_string());
    };
    let worked = |from: NaiveDate| full_years(from.max(started), target.exam_date);
    let results: Vec<(Outcome, String)> = facts
        .certificates
        .iter()
        .map(|cert| {
            let (held, detail) = check_certificate(cert, level, 0, target);
            if held == Outcome::NotMet {
                return (held, detail);
            }
            let (outcome, counted) = match cert.issued {
                IssueDate::Day(day) => {
                    let n = worked(day);
                    (
                        if n >= years as i32 { Outcome::Met } else { Outcome::NotMet },
                        format!("取证后工作满 {} 年", n.max(0)),
                    )
                }
                IssueDate::Year(year) => {
                    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(target.exam_date);
                    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(target.exam_date);
                    match (worked(last) >= years as i32, worked(first) >= years as i32) {
                        (true, _) => (Outcome::Met, format!("{year} 年取证，之后工作满 {} 年", worked(last))),
                        (false, true) => {
                            (Outcome::Unknown, format!("取证日期只知 {year} 年，取证后是否工作满 {years} 年需核对"))
                        }
                        (false, false) => (Outcome::NotMet, format!("{year} 年取证，之后工作不足 {years} 年")),
                    }
                }
                IssueDate::Unknown => (Outcome::Unknown, "取证日期不详，取证后的工作年限需核对".to_string()),
            };
            let detail = format!("{detail}；参加工作时间 {started}，{counted}");
            (Outcome::all([held, outcome]), detail)
        })
        .collect();
    best_of(results)
}

/// The best any of the candidate's certificates does for "level or higher, held N years".
fn check_certificates(level: Level, years_held: u32, target: Target<'_>, facts: &Facts) -> (Outcome, String) {
    if facts.certificates.is_empty() {
        return no_certificate();
    }
    best_of(facts.certificates.iter().map(|cert| check_certificate(cert, level, years_held, target)).collect())
}

/// What no certificate on file says to a certificate condition.
fn no_certificate() -> (Outcome, String) {
    (Outcome::NotMet, "未登记现有证书（如持有，请在个人资料中补充证书信息）".to_string())
}

/// The best of the candidate's certificates decides: the first met, else the first to check, else every reason it
/// is not met.
fn best_of(results: Vec<(Outcome, String)>) -> (Outcome, String) {
    for wanted in [Outcome::Met, Outcome::Unknown] {
        if let Some((outcome, detail)) = results.iter().find(|(o, _)| *o == wanted) {
            return (*outcome, detail.clone());
        }
    }
    let details: Vec<&str> = results.iter().map(|(_, d)| d.as_str()).collect();
    (Outcome::NotMet, details.join("；"))
}

fn check_certificate(cert: &HeldCertificate, level: Level, years_held: u32, target: Target<'_>) -> (Outcome, String) {
    let name = describe(cert);
    // Rules that arrive unchecked (a synced plan) may name 专项, which has no level to compare: a person decides.
    let Some(required) = level.digit() else {
        return (Outcome::Unknown, format!("{name}：规则要求的等级“{}”无法比较", level.label()));
    };
    let mut unknowns = Vec::new();
    match cert.level.and_then(Level::digit) {
        None => unknowns.push("等级不详".to_string()),
        Some(digit) if digit > required => {
            return (Outcome::NotMet, format!("{name}等级低于{}", level.label()));
        }
        Some(_) => {}
    }
    match cert.issued {
        IssueDate::Day(day) => {
            let held = full_years(day, target.exam_date);
            if held < years_held as i32 {
                return (
                    Outcome::NotMet,
                    format!("{name}于 {day} 取得，至考试日满 {} 年，不足 {years_held} 年", held.max(0)),
                );
            }
        }
        IssueDate::Year(year) => {
            // Only the year is known: decided unless the anniversary falls in the exam's year.
            let anniversary = year + years_held as i32;
            if anniversary > target.exam_date.year() {
                return (Outcome::NotMet, format!("{name}于 {year} 年取得，至考试日不足 {years_held} 年"));
            }
            if anniversary == target.exam_date.year() && years_held > 0 {
                unknowns.push(format!("取证日期只知 {year} 年，是否满 {years_held} 年需核对"));
            }
        }
        IssueDate::Unknown if years_held > 0 => unknowns.push("取证日期不详".to_string()),
        IssueDate::Unknown => {}
    }
    match cert.occupation.as_deref() {
        None => unknowns.push("职业不详，是否本职业或相关职业需核对".to_string()),
        Some(occupation) if !occupation.contains(target.occupation) => {
            unknowns.push(format!("证书职业“{occupation}”与“{}”不同，是否相关职业需核对", target.occupation))
        }
        Some(_) => {}
    }
    if unknowns.is_empty() {
        (Outcome::Met, format!("{name}，符合"))
    } else {
        (Outcome::Unknown, format!("{name}：{}", unknowns.join("，")))
    }
}

fn describe(cert: &HeldCertificate) -> String {
    let mut parts = vec![cert.source.to_string()];
    if let Some(occupation) = &cert.occupation {
        parts.push(occupation.clone());
    }
    if let Some(level) = cert.level {
        parts.push(level.label().to_string());
    }
    if let Some(number) = &cert.number {
        parts.push(number.clone());
    }
    parts.join(" ")
}

/// What a certificate number says about itself: its level and the year of issue.
/// - 职业技能等级证书 (2019 on), 22 characters: the level is the 16th, the year the 14th–15th.
/// - 国家职业资格证书 (until 2020), 16 digits: year (1–2), province (3–4), city (5–6), kind of 鉴定机构 (7th, 0–4),
///   its serial (8–10), the level (11th, 1–5), the serial of the certificate (12–16).
///
/// Full-width digits and spaces are read as typed; numbers of other shapes (Shanghai's 13-digit ones) say nothing.
pub fn decode_certificate_number(number: &str) -> (Option<Level>, IssueDate) {
    let text: String = super::text::to_half_width(number).chars().filter(|c| !c.is_whitespace()).collect();
    let b = text.as_bytes();
    let level_of = |digit: u8| match digit {
        b'5' => Some(Level::Five),
        b'4' => Some(Level::Four),
        b'3' => Some(Level::Three),
        b'2' => Some(Level::Two),
        b'1' => Some(Level::One),
        _ => None,
    };
    let two_digits = |at: usize| i32::from(b[at] - b'0') * 10 + i32::from(b[at + 1] - b'0');
    match b.len() {
        22 if b[0].is_ascii_alphabetic() && b[1..].iter().all(u8::is_ascii_digit) => {
            (level_of(b[15]), IssueDate::Year(2000 + two_digits(13)))
        }
        16 if b.iter().all(u8::is_ascii_digit) && b[6] <= b'4' => {
            // The system ran from 1994 to 2020: a two-digit year of 90 and over is the 1990s.
            let yy = two_digits(0);
            let year = match yy {
                90.. => 1900 + yy,
                0..=30 => 2000 + yy,
                _ => return (None, IssueDate::Unknown),
            };
            match level_of(b[10]) {
                Some(level) => (Some(level), IssueDate::Year(year)),
                None => (None, IssueDate::Unknown),
            }
        }
        _ => (None, IssueDate::Unknown),
    }
}

/// A rule set as a file an agency keeps and reuses ("认定条件规则" in JSON, versioned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFile {
    pub format: String,
    pub version: u32,
    pub rules: RuleSet,
}

pub const RULE_FILE_FORMAT: &str = "skillcert-eligibility";

impl RuleFile {
    /// Version 2 when the rules use a condition version 1 did not know (work after a certificate, a 职称), so an
    /// older SkillCert says to upgrade instead of misreading them; version 1 otherwise, which every release reads.
    pub fn new(rules: RuleSet) -> Self {
        let newer = rules
            .paths
            .iter()
            .flat_map(|p| &p.conditions)
            .any(|c| matches!(c, Condition::WorkAfterCertificate { .. } | Condition::Title { .. }));
        RuleFile { format: RULE_FILE_FORMAT.to_string(), version: if newer { 2 } else { 1 }, rules }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("rule files always serialise")
    }

    /// Reads and checks a rule file; anything else is a clear refusal.
    pub fn parse(text: &str) -> Result<RuleSet> {
        let file: RuleFile = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| Error::invalid("规则文件", format!("不是 SkillCert 报考条件规则文件（{e}）")))?;
        if file.format != RULE_FILE_FORMAT {
            return Err(Error::invalid("规则文件", format!("格式为“{}”，不是报考条件规则文件", file.format)));
        }
        if !(1..=2).contains(&file.version) {
            return Err(Error::invalid(
                "规则文件",
                format!("版本 {} 由更新的 SkillCert 生成，请先升级本软件", file.version),
            ));
        }
        file.rules.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OCCUPATION: &str = "电工";

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn target(exam: &str) -> Target<'static> {
        Target { occupation: OCCUPATION, exam_date: d(exam) }
    }

    fn cert(level: Level, issued: IssueDate) -> HeldCertificate {
        HeldCertificate {
            source: "现有证书",
            occupation: Some(OCCUPATION.into()),
            level: Some(level),
            number: None,
            issued,
        }
    }

    /// A grown-up electrician at work since 2008 with nothing else on file.
    fn adult() -> Facts {
        Facts { birth_date: Some(d("1990-03-07")), work_started_on: Some(d("2008-09-01")), ..Facts::default() }
    }

    fn verdict(level: Level, exam: &str, facts: &Facts) -> Verdict {
        evaluate(&RuleSet::preset(level, Pattern::Standard2019).unwrap(), target(exam), facts).verdict
    }

    use Verdict::{Eligible as Yes, NeedsReview as Ask, NotEligible as No};

    #[test]
    fn level_five_asks_one_year_of_work_or_an_apprenticeship_and_no_age() {
        let teen = |years| Facts { birth_date: Some(d("2010-06-15")), years_in_occupation: years, ..Facts::default() };
        let table = [
            ("2026-06-14", teen(Some(1)), Yes), // 15 years old: the standards set no age
            ("2026-06-15", teen(Some(0)), Ask), // 学徒期满 is for a person to check
            ("2026-06-15", teen(None), Ask),    // years not on file
            ("2026-06-15", Facts::default(), Ask),
        ];
        for (exam, facts, expected) in table {
            assert_eq!(verdict(Level::Five, exam, &facts), expected, "exam {exam}, {facts:?}");
        }
    }

    #[test]
    fn level_four_by_work_after_the_certificate_years_or_school() {
        // Each row leaves only the path it is about open: no years of work, schooling that fits no school path.
        let with_cert = |issued| Facts {
            certificates: vec![cert(Level::Five, issued)],
            years_in_occupation: Some(0),
            education: Some("初中".into()),
            ..adult()
        };
        let years = |n| Facts { years_in_occupation: Some(n), education: Some("初中".into()), ..adult() };
        let school =
            |education: &str| Facts { education: Some(education.into()), years_in_occupation: Some(0), ..adult() };
        let started = |day: &str| Facts { work_started_on: Some(d(day)), ..with_cert(IssueDate::Day(d("2018-01-01"))) };
        let table = [
            (with_cert(IssueDate::Day(d("2022-06-15"))), "2026-06-14", No), // 3 years and 364 days
            (with_cert(IssueDate::Day(d("2022-06-15"))), "2026-06-15", Yes), // exactly 4 years
            (with_cert(IssueDate::Year(2022)), "2026-06-15", Ask),          // only the year is known
            (with_cert(IssueDate::Year(2021)), "2026-01-02", Yes),
            (with_cert(IssueDate::Year(2023)), "2026-12-31", No),
            // Years of work after the certificate, not years since it: at work only from 2024.
            (started("2024-01-01"), "2026-06-15", No),
            (started("2022-06-15"), "2026-06-15", Yes),
            (Facts { work_started_on: None, ..with_cert(IssueDate::Day(d("2018-01-01"))) }, "2026-06-15", Ask),
            (years(5), "2026-06-15", No),
            (years(6), "2026-06-15", Yes),
            (school("技校"), "2026-06-15", Ask), // the kind fits; the subject is for a person
            (school("初中"), "2026-06-15", No),
        ];
        for (facts, exam, expected) in table {
            assert_eq!(verdict(Level::Four, exam, &facts), expected, "exam {exam}, {facts:?}");
        }
    }

    #[test]
    fn higher_certificates_count_lower_ones_do_not_and_other_occupations_are_asked() {
        let exam = "2026-06-15";
        let higher = Facts { certificates: vec![cert(Level::Three, IssueDate::Day(d("2020-01-01")))], ..adult() };
        assert_eq!(verdict(Level::Four, exam, &higher), Yes);
        let lower = Facts { certificates: vec![cert(Level::Five, IssueDate::Day(d("2010-01-01")))], ..adult() };
        assert_eq!(verdict(Level::Three, exam, &lower), No);
        let other =
            HeldCertificate { occupation: Some("焊工".into()), ..cert(Level::Five, IssueDate::Day(d("2010-01-01"))) };
        let evaluation = evaluate(
            &RuleSet::preset(Level::Four, Pattern::Standard2019).unwrap(),
            target(exam),
            &Facts { certificates: vec![other], ..adult() },
        );
        assert_eq!(evaluation.verdict, Ask);
        assert!(evaluation.summary.contains("焊工"), "{}", evaluation.summary);
        // The best of several certificates decides.
        let several = Facts {
            certificates: vec![
                cert(Level::Five, IssueDate::Day(d("2025-01-01"))),
                cert(Level::Five, IssueDate::Day(d("2021-01-01"))),
            ],
            ..adult()
        };
        assert_eq!(verdict(Level::Four, exam, &several), Yes);
    }

    #[test]
    fn levels_three_two_and_one_count_work_after_the_certificate_to_the_day() {
        let schooled = |level, issued: &str, education: &str| Facts {
            certificates: vec![cert(level, IssueDate::Day(d(issued)))],
            education: Some(education.into()),
            years_in_occupation: Some(1),
            ..adult()
        };
        let held = |level, issued: &str| schooled(level, issued, "普通高中");
        let table = [
            // Short of 5 years, a 四级 holder may be a 技师学院 graduate: a person checks (they are not refused).
            (Level::Three, held(Level::Four, "2021-06-16"), Ask),
            (Level::Three, held(Level::Four, "2021-06-15"), Yes),
            (Level::Three, schooled(Level::Four, "2024-06-15", "大专"), Ask),
            (Level::Three, held(Level::Five, "2010-06-15"), No),
            (Level::Two, held(Level::Three, "2022-06-16"), Ask), // 3 years: the 技师学院 path, for a person
            (Level::Two, held(Level::Three, "2023-06-16"), No),
            (Level::Two, held(Level::Three, "2022-06-15"), Yes),
            // 预备技师: 2 years of work, the certificate for a person to see.
            (Level::Two, Facts { years_in_occupation: Some(2), ..adult() }, Ask),
            (Level::One, held(Level::Two, "2022-06-16"), No),
            (Level::One, held(Level::Two, "2022-06-15"), Yes),
            (Level::One, adult(), No),
        ];
        for (level, facts, expected) in table {
            assert_eq!(verdict(level, "2026-06-15", &facts), expected, "{level:?} {facts:?}");
        }
    }

    #[test]
    fn rules_saved_before_the_work_wording_still_count_years_since_the_certificate() {
        let rules = RuleSet {
            paths: vec![RulePath {
                conditions: vec![Condition::PriorCertificate { level: Level::Five, years_held: 4 }],
            }],
        };
        let facts = Facts {
            certificates: vec![cert(Level::Five, IssueDate::Day(d("2018-01-01")))],
            work_started_on: Some(d("2025-01-01")),
            ..adult()
        };
        assert_eq!(evaluate(&rules, target("2026-06-15"), &facts).verdict, Yes);
    }

    #[test]
    fn titles_are_ranked_as_people_write_them() {
        for (title, rank) in [
            ("助理工程师", Some(TitleRank::Junior)),
            ("技术员", Some(TitleRank::Junior)),
            ("工程师", Some(TitleRank::Intermediate)),
            ("中级会计师", Some(TitleRank::Intermediate)),
            ("讲师", Some(TitleRank::Intermediate)),
            ("高级工程师", Some(TitleRank::Senior)),
            ("护师", Some(TitleRank::Junior)),
            ("主管护师", Some(TitleRank::Intermediate)),
            ("主治医师", Some(TitleRank::Intermediate)),
            ("副主任医师", Some(TitleRank::Senior)),
            ("正高级经济师", Some(TitleRank::Senior)),
            ("高级技师", None),
            ("无", None),
        ] {
            assert_eq!(TitleRank::of_title(title), rank, "{title}");
        }
        let rules = RuleSet::preset(Level::Two, Pattern::Standard2022).unwrap();
        let titled = |title: Option<&str>| Facts { title: title.map(str::to_string), ..adult() };
        let path = |facts: &Facts| evaluate(&rules, target("2026-06-15"), facts).paths.last().unwrap().outcome;
        assert_eq!(path(&titled(Some("工程师"))), Outcome::Unknown, "the years after the title are for a person");
        assert_eq!(path(&titled(Some("助理工程师"))), Outcome::NotMet);
        assert_eq!(path(&titled(None)), Outcome::NotMet);
    }

    #[test]
    fn education_ranks_upper_secondary_kinds_alike() {
        let rules = RuleSet {
            paths: vec![RulePath { conditions: vec![Condition::MinEducation { education: "中专".into() }] }],
        }
        .validate()
        .unwrap();
        let with = |e: &str| Facts { education: Some(e.into()), ..adult() };
        for (education, expected) in
            [("普通高中", Yes), ("技工学校", Yes), ("大学本科", Yes), ("博士", Yes), ("初中", No), ("小学", No)]
        {
            assert_eq!(evaluate(&rules, target("2026-06-15"), &with(education)).verdict, expected, "{education}");
        }
        assert_eq!(evaluate(&rules, target("2026-06-15"), &adult()).verdict, Ask);
    }

    #[test]
    fn a_refusal_names_the_condition_and_the_data() {
        let facts = Facts { years_in_occupation: Some(3), education: Some("初中".into()), ..adult() };
        let e = evaluate(&RuleSet::preset(Level::Four, Pattern::Standard2019).unwrap(), target("2026-06-14"), &facts);
        assert_eq!(e.verdict, No);
        assert!(e.summary.starts_with("不符合：条件一（未登记现有证书"), "{}", e.summary);
        assert!(e.summary.contains("条件二（从事本职业年限 3 年，不足 6 年）"), "{}", e.summary);
    }

    #[test]
    fn full_years_treat_29_february() {
        assert_eq!(full_years(d("2000-02-29"), d("2001-02-28")), 0);
        assert_eq!(full_years(d("2000-02-29"), d("2001-03-01")), 1);
        assert_eq!(full_years(d("2000-02-29"), d("2004-02-29")), 4);
        assert_eq!(full_years(d("2026-06-15"), d("2020-01-01")), -7);
    }

    #[test]
    fn every_level_has_presets_of_both_patterns_that_validate_and_read_as_the_notice() {
        for pattern in [Pattern::Standard2019, Pattern::Standard2022] {
            for level in [Level::Five, Level::Four, Level::Three, Level::Two, Level::One] {
                let preset = RuleSet::preset(level, pattern).unwrap();
                assert_eq!(preset.validate().unwrap(), preset, "{level:?}");
                assert!(!preset.text().contains("周岁"), "the standards set no age: {}", preset.text());
            }
            assert!(RuleSet::preset(Level::Special, pattern).is_none());
        }
        let four = RuleSet::preset(Level::Four, Pattern::Standard2019).unwrap().text();
        assert!(
            four.starts_with("具备以下条件之一者：\n条件一：取得本职业或相关职业五级/初级工（或更高等级）职业资格证书或职业技能等级证书后，累计从事本职业或相关职业工作满4年（含）。"),
            "{four}"
        );
        assert!(four.contains("条件三："), "{four}");
        let one = RuleSet::preset(Level::One, Pattern::Standard2019).unwrap().text();
        assert_eq!(
            one,
            "须同时具备以下条件：取得本职业或相关职业二级/技师（或更高等级）职业资格证书或职业技能等级证书后，累计从事本职业或相关职业工作满4年（含）。"
        );
        let four = RuleSet::preset(Level::Four, Pattern::Standard2022).unwrap().text();
        assert!(four.contains("工作满3年") && four.contains("工作5年"), "{four}");
        for level in [Level::Three, Level::Two, Level::One] {
            assert!(RuleSet::preset(level, Pattern::Standard2022).unwrap().text().contains("职称"), "{level:?}");
        }
    }

    #[test]
    fn validation_refuses_empty_and_unknown_parts_and_normalises_names() {
        assert!(RuleSet { paths: vec![] }.validate().is_err());
        let empty_path = RuleSet { paths: vec![RulePath { conditions: vec![] }] }.validate().unwrap_err();
        assert!(empty_path.to_string().contains("条件一"), "{empty_path}");
        let one = |c| RuleSet { paths: vec![RulePath { conditions: vec![c] }] };
        assert!(one(Condition::MinEducation { education: "幼儿园".into() }).validate().is_err());
        assert!(one(Condition::MinAge { years: 0 }).validate().is_err());
        assert!(one(Condition::YearsInOccupation { years: 99 }).validate().is_err());
        assert!(one(Condition::PriorCertificate { level: Level::Special, years_held: 1 }).validate().is_err());
        assert!(one(Condition::Manual { text: " 。".into() }).validate().is_err());
        assert!(one(Condition::Graduation { schools: vec![] }).validate().is_err());
        let normalised =
            one(Condition::Graduation { schools: vec!["技校".into(), "技工学校".into(), "中专".into()] })
                .validate()
                .unwrap();
        assert_eq!(
            normalised.paths[0].conditions[0],
            Condition::Graduation { schools: vec!["技工学校".into(), "中等专业学校".into()] }
        );
    }

    #[test]
    fn rule_files_round_trip_and_refuse_strangers() {
        let rules = RuleSet::preset(Level::Three, Pattern::Standard2022).unwrap();
        let json = RuleFile::new(rules.clone()).to_json();
        assert!(json.contains("\"version\": 2"), "work after a certificate is version 2: {json}");
        assert_eq!(RuleFile::parse(&json).unwrap(), rules);
        // Rules of version 1's conditions stay version 1, which older releases read.
        let old = RuleSet { paths: vec![RulePath { conditions: vec![Condition::YearsInOccupation { years: 6 }] }] };
        assert!(RuleFile::new(old).to_json().contains("\"version\": 1"));
        assert!(RuleFile::parse("{}").unwrap_err().to_string().contains("不是 SkillCert"));
        let newer = json.replace("\"version\": 2", "\"version\": 3");
        assert!(RuleFile::parse(&newer).unwrap_err().to_string().contains("升级"));
        let other = json.replace(RULE_FILE_FORMAT, "something-else");
        assert!(RuleFile::parse(&other).is_err());
    }

    #[test]
    fn unchecked_rules_naming_a_levelless_certificate_are_asked_not_a_panic() {
        let rules = RuleSet {
            paths: vec![RulePath {
                conditions: vec![Condition::PriorCertificate { level: Level::Special, years_held: 1 }],
            }],
        };
        let facts = Facts { certificates: vec![cert(Level::Four, IssueDate::Day(d("2010-01-01")))], ..adult() };
        assert_eq!(evaluate(&rules, target("2026-06-15"), &facts).verdict, Ask);
    }

    #[test]
    fn certificate_numbers_tell_level_and_year() {
        assert_eq!(decode_certificate_number("S000044000123224000042"), (Some(Level::Four), IssueDate::Year(2022)));
        assert_eq!(decode_certificate_number("1234567890"), (None, IssueDate::Unknown));
        // A 国家职业资格证书 of 2012 from Guangdong (44), a 鉴定站 (2), level 4; one of 1998 at level 3.
        assert_eq!(decode_certificate_number("1244012001400123"), (Some(Level::Four), IssueDate::Year(2012)));
        assert_eq!(decode_certificate_number(" 9831001100300456 "), (Some(Level::Three), IssueDate::Year(1998)));
        assert_eq!(
            decode_certificate_number("１２４４０１２００１４００１２３"),
            (Some(Level::Four), IssueDate::Year(2012))
        );
        // Not the layout: a kind of 鉴定机构 past 4, a level digit of 0 or 6, a year of the 2040s, letters.
        assert_eq!(decode_certificate_number("1244015001400123"), (None, IssueDate::Unknown));
        assert_eq!(decode_certificate_number("1244012001600123"), (None, IssueDate::Unknown));
        assert_eq!(decode_certificate_number("4544012001400123"), (None, IssueDate::Unknown));
        assert_eq!(decode_certificate_number("12440120014001AB"), (None, IssueDate::Unknown));
    }
}
