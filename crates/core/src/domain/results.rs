//! After the exam, by date: marks only once a part has been sat, the results notice (成绩公示) and when its results
//! are final, the 发证日期 of certificates, and the 证件号码 as a public notice shows it.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::certificate::AgencyType;
use super::level::Level;
use super::score::{Mark, Marks, Part};
use crate::error::{Error, Result};

/// The days a plan's results are on notice, both ends included ("2026-12-01 至 2026-12-07").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticePeriod {
    pub opens_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl NoticePeriod {
    /// A notice of `days` days (at least one) from `opens_on`.
    pub fn starting(opens_on: NaiveDate, days: u32) -> NoticePeriod {
        let ends_on = opens_on.checked_add_days(Days::new(u64::from(days.max(1) - 1))).unwrap_or(NaiveDate::MAX);
        NoticePeriod { opens_on, ends_on }
    }

    /// Whether the results may still be corrected on `today`; after the last day they are final.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        today <= self.ends_on
    }

    pub fn label(&self) -> String {
        format!("{} 至 {}", self.opens_on, self.ends_on)
    }
}

/// Where a plan's results report to the provincial 职业技能等级认定监管系统 stands: 未上报 until the operator sends it,
/// 已上报 while the city reviews it, 退回 when sent back to be fixed, 已通过 once accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ReportState {
    #[serde(rename = "未上报")]
    NotReported,
    #[serde(rename = "已上报")]
    Reported,
    #[serde(rename = "退回")]
    Returned,
    #[serde(rename = "已通过")]
    Accepted,
}

impl ReportState {
    pub const ALL: [ReportState; 4] =
        [ReportState::NotReported, ReportState::Reported, ReportState::Returned, ReportState::Accepted];

    pub fn label(self) -> &'static str {
        match self {
            ReportState::NotReported => "未上报",
            ReportState::Reported => "已上报",
            ReportState::Returned => "退回",
            ReportState::Accepted => "已通过",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|s| s.label() == text.trim()).ok_or_else(|| {
            Error::invalid("上报状态", format!("“{}”不是上报状态，可选：已上报、退回、已通过", text.trim()))
        })
    }

    /// The states an operator may record next: sent (again, after a return), sent back, accepted.
    pub fn may_become(self, to: ReportState) -> bool {
        use ReportState::*;
        matches!((self, to), (NotReported | Returned, Reported) | (Reported, Returned | Accepted))
    }
}

impl std::fmt::Display for ReportState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Working days an agency has after the exam to report its results: 10 for a 用人单位, 5 for a 社会培训评价组织 (the
/// stricter one when the type is not set yet).
pub fn report_working_days(agency_type: Option<AgencyType>) -> u32 {
    match agency_type {
        Some(AgencyType::Employer) => 10,
        Some(AgencyType::Organisation) | None => 5,
    }
}

/// Working days to fix and send again a report the city sent back.
pub const RESUBMIT_WORKING_DAYS: u32 = 5;

/// 补考: of a published result that failed, the parts a re-sit keeps (passed) and re-takes (failed or missed).
/// Refused when nothing passed (that is a new exam, not a re-sit) or nothing failed.
pub fn resit_parts(marks: &Marks, level: Level) -> Result<(Vec<Part>, Vec<Part>)> {
    let mut parts = vec![Part::Theory, Part::Practical];
    if level.needs_review_panel() {
        parts.push(Part::Review);
    }
    let (kept, retaken): (Vec<Part>, Vec<Part>) =
        parts.into_iter().partition(|p| marks.get(*p).is_some_and(Mark::passes));
    if retaken.is_empty() {
        return Err(Error::refused("上次考核各科均已合格，无需补考"));
    }
    if kept.is_empty() {
        return Err(Error::refused("上次考核没有合格的科目，没有可沿用的成绩：请按新考报名"));
    }
    Ok((kept, retaken))
}

/// How long a passed part counts for a re-sit, in months: resit.validity_months holds the default on its first line
/// and, on the lines after it, an occupation's own ("电工=24").
pub fn resit_months(setting: &str, occupation: &str) -> Result<u32> {
    let mut default = None;
    let mut own = None;
    for (index, line) in setting.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let wrong = |why: &str| Error::invalid("补考有效期", format!("第 {} 行“{line}”：{why}", index + 1));
        let months = |text: &str| match text.trim().parse::<u32>() {
            Ok(m) if (1..=60).contains(&m) => Ok(m),
            _ => Err(wrong("月数应为 1 到 60 之间的整数")),
        };
        match line.split_once(['=', '＝']) {
            None if default.is_none() => default = Some(months(line)?),
            None => return Err(wrong("只有第一行是默认月数，其后每行写“职业=月数”")),
            Some((name, m)) => {
                let m = months(m)?;
                if name.trim() == occupation {
                    own = Some(m);
                }
            }
        }
    }
    own.or(default).ok_or_else(|| Error::invalid("补考有效期", "第一行应为默认月数，如 12"))
}

/// The last day a part passed in an exam ending on `last_exam_day` counts for a re-sit.
pub fn resit_valid_until(last_exam_day: NaiveDate, months: u32) -> NaiveDate {
    last_exam_day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Marks of a part (`part`: 理论知识, …) sat on `sat_on` may be entered from that day on, never before.
pub fn check_marks_date(part: &str, sat_on: NaiveDate, today: NaiveDate) -> Result<()> {
    if sat_on > today {
        return Err(Error::refused(format!("{part}考试在 {sat_on}，考试之后才能登记成绩")));
    }
    Ok(())
}

/// A 发证日期 is not before the exam's last day, after the notice's last day, and not later than today (a certificate
/// is not signed ahead).
pub fn check_issue_date(
    issued_on: NaiveDate,
    last_exam_day: NaiveDate,
    notice: &NoticePeriod,
    today: NaiveDate,
) -> Result<()> {
    const FIELD: &str = "发证日期";
    if issued_on < last_exam_day {
        return Err(Error::invalid(FIELD, format!("{issued_on} 早于考试日期 {last_exam_day}，发证日期不能早于考试")));
    }
    if issued_on <= notice.ends_on {
        return Err(Error::invalid(
            FIELD,
            format!("成绩公示期为 {}，发证日期应在公示期结束（{}）之后", notice.label(), notice.ends_on),
        ));
    }
    if issued_on > today {
        return Err(Error::invalid(FIELD, format!("{issued_on} 晚于今天（{today}），不能预先签发证书")));
    }
    Ok(())
}

/// The 证件号码 as a public notice (and 证书查询) prints it: enough to tell two people apart, not enough to use. A
/// 居民身份证号码 keeps its region and its last four, the birth date hidden ("440305********1234"; the old 15-digit
/// form its last three); another document its first and last two characters; a very short one its first.
pub fn mask_id_number(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    let (head, tail) = match chars.len() {
        18 => (6, 4),
        15 => (6, 3),
        n if n > 4 => (2, 2),
        n => (n.min(1), 0),
    };
    chars.iter().enumerate().map(|(i, c)| if i < head || i >= chars.len() - tail { *c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_notice_counts_its_first_day() {
        let notice = NoticePeriod::starting(day("2026-12-01"), 7);
        assert_eq!(notice.ends_on, day("2026-12-07"));
        assert_eq!(notice.label(), "2026-12-01 至 2026-12-07");
        assert!(notice.is_open(day("2026-12-07")));
        assert!(!notice.is_open(day("2026-12-08")));
        assert_eq!(NoticePeriod::starting(day("2026-12-01"), 1).ends_on, day("2026-12-01"));
    }

    #[test]
    fn marks_wait_for_the_exam() {
        assert!(check_marks_date("理论知识", day("2026-12-28"), day("2026-12-28")).is_ok());
        let early = check_marks_date("理论知识", day("2026-12-28"), day("2026-12-25")).unwrap_err().to_string();
        assert!(early.contains("理论知识考试在 2026-12-28"), "{early}");
    }

    #[test]
    fn a_certificate_is_dated_after_the_exam_and_the_notice_and_not_ahead() {
        let notice = NoticePeriod::starting(day("2026-12-30"), 7);
        let (exam, today) = (day("2026-12-28"), day("2027-01-10"));
        assert!(check_issue_date(day("2027-01-06"), exam, &notice, today).is_ok());
        assert!(
            check_issue_date(day("2026-12-27"), exam, &notice, today).unwrap_err().to_string().contains("早于考试日期")
        );
        assert!(
            check_issue_date(day("2027-01-05"), exam, &notice, today).unwrap_err().to_string().contains("公示期结束")
        );
        assert!(
            check_issue_date(day("2027-01-11"), exam, &notice, today).unwrap_err().to_string().contains("晚于今天")
        );
    }

    #[test]
    fn public_lists_hide_the_birth_date() {
        assert_eq!(mask_id_number("44030519900307123X"), "440305********123X");
        assert_eq!(mask_id_number("E12345678"), "E1*****78");
        assert_eq!(mask_id_number("H123"), "H***");
        assert_eq!(mask_id_number("440305900307123"), "440305******123");
    }

    #[test]
    fn a_resit_keeps_what_passed_for_its_months() {
        let four = Level::parse("四级").unwrap();
        let marks = |theory, practical| Marks { theory, practical, review: None };
        let (pass, fail) = (Some(Mark::Score(600)), Some(Mark::Score(599)));
        assert_eq!(resit_parts(&marks(pass, fail), four).unwrap(), (vec![Part::Theory], vec![Part::Practical]));
        assert_eq!(
            resit_parts(&marks(Some(Mark::Absent), pass), four).unwrap(),
            (vec![Part::Practical], vec![Part::Theory]),
            "a part missed is taken again"
        );
        assert!(resit_parts(&marks(pass, pass), four).unwrap_err().to_string().contains("无需补考"));
        assert!(resit_parts(&marks(fail, fail), four).unwrap_err().to_string().contains("新考"));
        // 二级 needs the review panel too: passing both written parts still leaves it to re-take.
        let two = Level::parse("二级").unwrap();
        assert_eq!(resit_parts(&marks(pass, pass), two).unwrap().1, vec![Part::Review]);
        assert_eq!(resit_months("12\n电工=24", "电工").unwrap(), 24);
        assert_eq!(resit_months("12\n电工=24", "焊工").unwrap(), 12);
        assert_eq!(resit_valid_until(day("2026-02-28"), 12), day("2027-02-28"));
        assert_eq!(resit_valid_until(day("2026-08-31"), 6), day("2027-02-28"));
    }
}
