//! Working days as China counts them: Monday to Friday, but for the public holidays (放假) and with the make-up
//! working days (调休上班) the State Council announces each year. The list is an agency setting (results.calendar)
//! the operator edits as each year's arrangement is published; the years known when this release was made ship as
//! its default.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::error::{Error, Result};

/// 放假 or 调休上班: how a listed day differs from what its weekday says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 休: a public holiday (or a weekday taken off around one).
    Holiday,
    /// 班: a weekend day worked in exchange.
    Workday,
}

impl DayKind {
    fn parse(text: &str) -> Option<DayKind> {
        match text {
            "休" | "放假" | "假" => Some(DayKind::Holiday),
            "班" | "上班" | "调休上班" => Some(DayKind::Workday),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "休",
            DayKind::Workday => "班",
        }
    }
}

/// The State Council's arrangements for 2025 and 2026 (国务院办公厅关于部分节假日安排的通知), one line per run of days:
/// `起始日期[~结束日期] 休|班 说明`.
pub const BUNDLED: &str = "\
2025-01-01 休 元旦
2025-01-26 班 春节调休
2025-01-28~2025-02-04 休 春节
2025-02-08 班 春节调休
2025-04-04~2025-04-06 休 清明节
2025-04-27 班 劳动节调休
2025-05-01~2025-05-05 休 劳动节
2025-05-31~2025-06-02 休 端午节
2025-09-28 班 国庆节调休
2025-10-01~2025-10-08 休 国庆节、中秋节
2025-10-11 班 国庆节调休
2026-01-01~2026-01-03 休 元旦
2026-01-04 班 元旦调休
2026-02-14 班 春节调休
2026-02-15~2026-02-23 休 春节
2026-02-28 班 春节调休
2026-04-04~2026-04-06 休 清明节
2026-05-01~2026-05-05 休 劳动节
2026-05-09 班 劳动节调休
2026-06-19~2026-06-21 休 端午节
2026-09-20 班 国庆节调休
2026-09-25~2026-09-27 休 中秋节
2026-10-01~2026-10-07 休 国庆节
2026-10-10 班 国庆节调休";

/// The listed days; every other day is what its weekday says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    /// Reads the list as the setting holds it. Blank lines and lines starting with # are skipped; an error names the
    /// line and what is wrong with it.
    pub fn parse(text: &str) -> Result<WorkCalendar> {
        let mut days = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let wrong = |why: String| Error::invalid("节假日", format!("第 {} 行“{line}”：{why}", index + 1));
            let mut parts = line.split_whitespace();
            let span = parts.next().unwrap_or_default();
            let kind = parts.next().ok_or_else(|| wrong("日期后应写“休”或“班”".into()))?;
            let kind = DayKind::parse(kind).ok_or_else(|| wrong(format!("“{kind}”应为“休”或“班”")))?;
            let (from, to) = match span.split_once(['~', '～']) {
                Some((from, to)) => (from, to),
                None => (span, span),
            };
            let date = |text: &str| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| wrong(format!("“{text}”不是日期，应写作 2026-10-01 或 2026-10-01~2026-10-07")))
            };
            let (from, to) = (date(from)?, date(to)?);
            if to < from || (to - from).num_days() > 31 {
                return Err(wrong("结束日期应在起始日期当天或之后，且一段不超过一个月".into()));
            }
            for day in from.iter_days().take_while(|d| *d <= to) {
                if let Some(before) = days.insert(day, kind)
                    && before != kind
                {
                    return Err(wrong(format!("{day} 已在前面写作“{}”", before.label())));
                }
            }
        }
        Ok(WorkCalendar { days })
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `day` ("within n working days of the exam").
    pub fn working_days_after(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut current = day;
        while left > 0 {
            current = current + Days::new(1);
            if self.is_working_day(current) {
                left -= 1;
            }
        }
        current
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as i64
    }

    /// Whether the list holds anything for `year`: a year not listed yet counts weekends only, which the operator
    /// is told.
    pub fn knows_year(&self, year: i32) -> bool {
        self.days.keys().any(|d| d.year() == year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn holidays_and_make_up_days_change_what_weekdays_say() {
        let calendar = WorkCalendar::parse(BUNDLED).unwrap();
        assert!(!calendar.is_working_day(day("2026-10-05")), "a Monday within 国庆");
        assert!(calendar.is_working_day(day("2026-10-10")), "a Saturday worked in exchange");
        assert!(!calendar.is_working_day(day("2026-12-05")), "an ordinary Saturday");
        assert!(calendar.is_working_day(day("2026-12-07")), "an ordinary Monday");
        // An exam on Saturday 2026-09-26 (中秋): 5 working days on is Friday 10-09 — 9-28, 9-29, 9-30, 10-08, 10-09.
        assert_eq!(calendar.working_days_after(day("2026-09-26"), 5), day("2026-10-09"));
        // 10 working days after Monday 2026-12-28: 12-29, 12-30, 12-31, then 2027 (not listed: weekdays only).
        assert_eq!(calendar.working_days_after(day("2026-12-28"), 10), day("2027-01-11"));
        assert!(calendar.knows_year(2026) && !calendar.knows_year(2027));
        assert_eq!(calendar.working_days_between(day("2026-09-26"), day("2026-10-09")), 5);
        assert_eq!(calendar.working_days_between(day("2026-10-09"), day("2026-10-01")), 0);
    }

    #[test]
    fn a_wrong_line_is_named() {
        let wrong = |text: &str| WorkCalendar::parse(text).unwrap_err().to_string();
        assert!(wrong("2027-01-01 休\n2027-02-30 休").contains("第 2 行"));
        assert!(wrong("2027-01-01 放").contains("应为“休”或“班”"));
        assert!(wrong("2027-01-01").contains("应写“休”或“班”"));
        assert!(wrong("2027-01-05~2027-01-01 休").contains("结束日期"));
        assert!(wrong("2027-01-01 休\n2027-01-01 班").contains("已在前面写作“休”"));
        let own = WorkCalendar::parse("# 2027\n\n2027-01-01～2027-01-03 休 元旦\n2027-01-04 上班").unwrap();
        assert!(!own.is_working_day(day("2027-01-01")) && own.is_working_day(day("2027-01-04")));
    }
}
