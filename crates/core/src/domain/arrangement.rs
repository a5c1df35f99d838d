//! Exam arrangement: session time windows, seating and the 准考证号 pattern.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// One sitting: a date with a start and an end time ("2026-12-28 09:00-10:30").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Sitting {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Sitting {
    pub fn parse(field: &'static str, text: &str) -> Result<Sitting> {
        let bad = || Error::invalid(field, format!("“{text}”应写成 2026-12-28 09:00-10:30 的形式"));
        let t = text.trim().replace('：', ":").replace(['—', '～', '~'], "-");
        let (date, times) = t.split_once(char::is_whitespace).ok_or_else(bad)?;
        let date = super::text::parse_date(field, date)?;
        let (start, end) = times.trim().split_once('-').ok_or_else(bad)?;
        let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
        let sitting = Sitting { start: date.and_time(time(start)?), end: date.and_time(time(end)?) };
        if sitting.end <= sitting.start {
            return Err(Error::invalid(field, format!("“{text}”的结束时间应晚于开始时间")));
        }
        Ok(sitting)
    }

    pub fn date(&self) -> NaiveDate {
        self.start.date()
    }

    /// "2026-12-28 09:00-10:30".
    pub fn label(&self) -> String {
        format!("{} {}-{}", self.start.format("%Y-%m-%d"), self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// The largest sequence a 准考证号 can carry.
pub const MAX_TICKET_SEQUENCE: u32 = 9999;

/// 准考证号: the plan's 报名识别码 (6 digits, unique among plans) followed by a 4-digit sequence in the order
/// candidates were first arranged, e.g. 1552650001. A candidate keeps the number when the plan is re-arranged.
pub fn ticket_number(plan_code: &str, sequence: u32) -> Result<String> {
    if sequence == 0 || sequence > MAX_TICKET_SEQUENCE {
        return Err(Error::refused(format!("准考证号序号已超过 {MAX_TICKET_SEQUENCE}，一个计划最多编排 9999 人")));
    }
    Ok(format!("{plan_code}{sequence:04}"))
}

/// The sequence part of a 准考证号 of this plan.
pub fn ticket_sequence(plan_code: &str, ticket: &str) -> Option<u32> {
    ticket.strip_prefix(plan_code)?.parse().ok()
}

/// Room and seat (both from 1) of the `index`-th candidate (from 0), rooms filled one after the other.
pub fn seat_of(index: usize, seats_per_room: u32) -> (u32, u32) {
    let per_room = seats_per_room as usize;
    ((index / per_room) as u32 + 1, (index % per_room) as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sittings_parse_as_operators_write_them() {
        let s = Sitting::parse("理论知识", "2026-12-28 09:00-10:30").unwrap();
        assert_eq!(s.label(), "2026-12-28 09:00-10:30");
        assert_eq!(Sitting::parse("理论知识", "2026/12/28 9:00～10:30").unwrap(), s);
        assert_eq!(Sitting::parse("理论知识", "2026年12月28日 09：00-10：30").unwrap(), s);
        assert!(Sitting::parse("理论知识", "2026-12-28 10:30-09:00").unwrap_err().to_string().contains("晚于"));
        assert!(Sitting::parse("理论知识", "2026-12-28").is_err());
        assert!(Sitting::parse("理论知识", "明天上午").is_err());
    }

    #[test]
    fn tickets_and_seats() {
        assert_eq!(ticket_number("155265", 1).unwrap(), "1552650001");
        assert_eq!(ticket_sequence("155265", "1552650123"), Some(123));
        assert!(ticket_number("155265", 10_000).is_err());
        assert_eq!(seat_of(0, 30), (1, 1));
        assert_eq!(seat_of(29, 30), (1, 30));
        assert_eq!(seat_of(30, 30), (2, 1));
    }
}
