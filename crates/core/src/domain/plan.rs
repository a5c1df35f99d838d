//! 认定计划: the fields of the seed's plan notice, their rules, and open/closed by date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::level::Level;
use super::text::{is_none_marker, parse_date};
use crate::error::{Error, Result};

/// What an operator fills in to publish a plan. Text fields are as typed; [`PlanDraft::validate`] checks them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PlanDraft {
    /// 职业.
    pub occupation: String,
    /// 职业编码 (国家职业分类大典, e.g. 6-31-01-03); empty when not given.
    #[serde(default)]
    pub occupation_code: String,
    /// 工种/职业方向; "--" or empty when none.
    pub job: String,
    /// 等级, e.g. "四级/中级工".
    pub level: String,
    /// 报名开始 (YYYY-MM-DD).
    pub reg_start: String,
    /// 报名截止, inclusive.
    pub reg_end: String,
    /// 计划考试日期.
    pub exam_date: String,
    /// 报名识别码: 6 digits; generated when empty.
    pub code: String,
    /// 计划号: unique in this agency's database; the next number when empty.
    pub plan_no: String,
    /// 报考条件.
    pub conditions: String,
    /// 报名须知.
    pub notice: String,
    /// 发布机构.
    pub publisher: String,
    /// 公告日期; today when empty.
    pub announced_on: String,
    /// 计划人数; none when empty.
    pub capacity: Option<u32>,
    /// 报名费 in yuan ("0", "150", "150.5"); none or 0 means no fee.
    pub fee: String,
}

/// A plan whose fields passed their rules, ready to store (code and plan_no may still be assigned by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlan {
    pub occupation: String,
    pub occupation_code: Option<String>,
    pub job: Option<String>,
    pub level: Level,
    pub reg_start: NaiveDate,
    pub reg_end: NaiveDate,
    pub exam_date: NaiveDate,
    pub code: Option<String>,
    pub plan_no: Option<String>,
    pub conditions: String,
    pub notice: String,
    pub publisher: String,
    pub announced_on: NaiveDate,
    pub capacity: Option<u32>,
    pub fee_fen: i64,
}

impl PlanDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPlan> {
        let occupation = self.occupation.trim().to_string();
        if occupation.is_empty() || is_none_marker(&occupation) {
            return Err(Error::invalid("职业", "不能为空，请填写职业名称（专项职业能力填写专项名称）"));
        }
        let job = Some(self.job.trim().to_string()).filter(|j| !is_none_marker(j));
        let occupation_code = occupation_code(&self.occupation_code)?;
        let level = Level::parse(&self.level)?;
        let reg_start = parse_date("报名开始日期", &self.reg_start)?;
        let reg_end = parse_date("报名截止日期", &self.reg_end)?;
        let exam_date = parse_date("计划考试日期", &self.exam_date)?;
        if reg_start > reg_end {
            return Err(Error::invalid(
                "报名起止时间",
                format!("报名开始日期 {reg_start} 晚于截止日期 {reg_end}，请调整"),
            ));
        }
        if exam_date <= reg_end {
            return Err(Error::invalid(
                "计划考试日期",
                format!("计划考试日期 {exam_date} 应晚于报名截止日期 {reg_end}，请调整"),
            ));
        }
        let code = Some(self.code.trim().to_string()).filter(|c| !c.is_empty());
        if let Some(code) = &code
            && (code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::invalid("报名识别码", format!("“{code}”应为6位数字")));
        }
        let plan_no = Some(self.plan_no.trim().to_string()).filter(|c| !c.is_empty());
        let announced_on =
            if self.announced_on.trim().is_empty() { today } else { parse_date("公告日期", &self.announced_on)? };
        if self.capacity == Some(0) {
            return Err(Error::invalid("计划人数", "应大于0；不限人数请留空"));
        }
        Ok(ValidPlan {
            occupation,
            occupation_code,
            job,
            level,
            reg_start,
            reg_end,
            exam_date,
            code,
            plan_no,
            conditions: self.conditions.trim().to_string(),
            notice: self.notice.trim().to_string(),
            publisher: self.publisher.trim().to_string(),
            announced_on,
            capacity: self.capacity,
            fee_fen: parse_fee(&self.fee)?,
        })
    }
}

/// Yuan with at most two decimals, into fen.
pub fn parse_fee(text: &str) -> Result<i64> {
    let t = text.trim().trim_start_matches('¥').trim_end_matches('元');
    if t.is_empty() {
        return Ok(0);
    }
    let bad = || Error::invalid("报名费", format!("“{text}”不是有效金额，请填写元，如 150 或 150.50"));
    let (yuan, fen) = t.split_once('.').unwrap_or((t, ""));
    if yuan.is_empty() || !yuan.bytes().all(|b| b.is_ascii_digit()) || fen.len() > 2 {
        return Err(bad());
    }
    if !fen.bytes().all(|b| b.is_ascii_digit()) || yuan.len() > 7 {
        return Err(bad());
    }
    let yuan: i64 = yuan.parse().map_err(|_| bad())?;
    let fen: i64 = format!("{fen:0<2}").parse().map_err(|_| bad())?;
    Ok(yuan * 100 + fen)
}

/// Where a plan's registration stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Registration {
    #[serde(rename = "未开始")]
    NotYetOpen,
    #[serde(rename = "报名中")]
    Open,
    #[serde(rename = "已截止")]
    Ended,
    /// Stopped by the operator before the window ended.
    #[serde(rename = "已关闭")]
    Closed,
}

impl Registration {
    /// Open from the first day to the last, inclusive, in Asia/Shanghai, unless the operator closed it.
    pub fn on(reg_start: NaiveDate, reg_end: NaiveDate, closed_by_operator: bool, today: NaiveDate) -> Self {
        if closed_by_operator {
            Registration::Closed
        } else if today < reg_start {
            Registration::NotYetOpen
        } else if today > reg_end {
            Registration::Ended
        } else {
            Registration::Open
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Registration::NotYetOpen => "未开始",
            Registration::Open => "报名中",
            Registration::Ended => "已截止",
            Registration::Closed => "已关闭",
        }
    }
}

/// A code as people type it: trimmed, half-width, whatever dash they used read as "-".
pub(crate) fn code_as_typed(text: &str) -> String {
    super::text::to_half_width(text.trim()).replace(['－', '—', '–', '‐'], "-")
}

/// 职业编码 as the 国家职业分类大典 writes it: 6-31-01-03 (a category digit, then three pairs), a 工种's extra pair
/// allowed (6-31-01-03-01); full-width digits and dashes are read as typed; empty or "--" for none.
pub fn occupation_code(text: &str) -> Result<Option<String>> {
    let t = code_as_typed(text);
    if t.is_empty() || is_none_marker(&t) {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split('-').collect();
    let shaped = (4..=5).contains(&parts.len())
        && parts[0].len() == 1
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return Err(Error::invalid("职业编码", format!("“{}”应为国家职业分类大典的编码，如 6-31-01-03", text.trim())));
    }
    Ok(Some(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupation_codes_are_the_classification_dictionary_s() {
        assert_eq!(occupation_code("6-31-01-03").unwrap().as_deref(), Some("6-31-01-03"));
        assert_eq!(occupation_code(" ６－３１－０１－０３ ").unwrap().as_deref(), Some("6-31-01-03"));
        assert_eq!(occupation_code("4-10-01-02-01").unwrap().as_deref(), Some("4-10-01-02-01"));
        assert_eq!(occupation_code("--").unwrap(), None);
        for bad in ["63101 03", "6-31-1-03", "电工", "6-31-01"] {
            assert!(occupation_code(bad).unwrap_err().to_string().contains("6-31-01-03"), "{bad}");
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn draft() -> PlanDraft {
        PlanDraft {
            occupation: "电工".into(),
            job: "--".into(),
            level: "四级/中级工".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_plan_validates() {
        let p = draft().validate(today()).unwrap();
        assert_eq!(p.job, None);
        assert_eq!(p.level, Level::Four);
        assert_eq!(p.announced_on, today());
        assert_eq!(p.fee_fen, 0);
    }

    #[test]
    fn the_seeds_exam_before_registration_end_is_caught() {
        // 电工/-- 四级/中级工 2022-04-11~2022-04-30, exam 2021-05-08: from the seed guide.
        let d = PlanDraft {
            reg_start: "2022-04-11".into(),
            reg_end: "2022-04-30".into(),
            exam_date: "2021-05-08".into(),
            ..draft()
        };
        let e = d.validate(today()).unwrap_err().to_string();
        assert!(e.contains("计划考试日期") && e.contains("应晚于"), "{e}");
        let same_day = PlanDraft { exam_date: "2026-12-20".into(), ..draft() };
        assert!(same_day.validate(today()).is_err());
        let reversed = PlanDraft { reg_start: "2026-12-21".into(), ..draft() };
        assert!(reversed.validate(today()).unwrap_err().to_string().contains("晚于截止日期"));
        // One day is a valid window.
        let one_day = PlanDraft { reg_start: "2026-12-20".into(), ..draft() };
        assert!(one_day.validate(today()).is_ok());
    }

    #[test]
    fn code_is_six_digits() {
        for bad in ["12345", "1234567", "12345a"] {
            let d = PlanDraft { code: bad.into(), ..draft() };
            assert!(d.validate(today()).unwrap_err().to_string().contains("6位数字"), "{bad}");
        }
        let d = PlanDraft { code: "155265".into(), ..draft() };
        assert_eq!(d.validate(today()).unwrap().code.as_deref(), Some("155265"));
    }

    #[test]
    fn fees_in_yuan() {
        assert_eq!(parse_fee("150").unwrap(), 15000);
        assert_eq!(parse_fee("150.5").unwrap(), 15050);
        assert_eq!(parse_fee("¥80.25").unwrap(), 8025);
        assert_eq!(parse_fee("").unwrap(), 0);
        for bad in ["-1", "1.234", "abc", ".5"] {
            assert!(parse_fee(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn open_inside_the_window_only() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let on = |day, closed| Registration::on(d("2026-12-01"), d("2026-12-20"), closed, d(day));
        assert_eq!(on("2026-11-30", false), Registration::NotYetOpen);
        assert_eq!(on("2026-12-01", false), Registration::Open);
        assert_eq!(on("2026-12-20", false), Registration::Open);
        assert_eq!(on("2026-12-21", false), Registration::Ended);
        assert_eq!(on("2026-12-10", true), Registration::Closed);
    }
}
