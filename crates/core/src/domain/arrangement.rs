//! Exam arrangement: session time windows, seating and the 准考证号 pattern.

use std::collections::{BinaryHeap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::venue::RoomKind;
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

    /// Whether the two share any minute (one ending as the other starts does not).
    pub fn overlaps(&self, other: &Sitting) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn date(&self) -> NaiveDate {
        self.start.date()
    }

    /// "2026-12-28 09:00-10:30".
    pub fn label(&self) -> String {
        format!("{} {}-{}", self.start.format("%Y-%m-%d"), self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// The sequence part of a 准考证号 given by the default rule ({识别码}{序号4}): how seats arranged before the sequence
/// was kept with them tell it.
pub fn ticket_sequence(plan_code: &str, ticket: &str) -> Option<u32> {
    ticket.strip_prefix(plan_code)?.parse().ok()
}

/// A 考点's room as an arrangement took it: its name, kind and seats at the time (a later change to the 考点 does not
/// move anyone or reword a printed document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArrangedRoom {
    pub name: String,
    pub kind: RoomKind,
    pub capacity: u32,
    /// 实操 rooms: the workstations, taken in turn by groups of that many when the room seats more.
    #[serde(default)]
    pub workstations: Option<u32>,
}

impl ArrangedRoom {
    /// For the 操作技能 in a 实操 room with fewer workstations than candidates: the group (from 1) a seat's candidate
    /// works in and their workstation (from 1). Seats fill the groups in order: seats 1–12 are group 1 at 12 stations.
    pub fn practical_group(&self, seat: u32) -> Option<(u32, u32)> {
        let stations = self.workstations.filter(|&w| w > 0 && self.kind == RoomKind::Practical)?;
        (self.capacity > stations && seat > 0).then(|| ((seat - 1) / stations + 1, (seat - 1) % stations + 1))
    }
}

/// Room and seat (both from 1) of the `index`-th candidate (from 0) when rooms hold `capacities` seats each, filled
/// one after the other; None past the last seat.
pub fn seat_in(index: usize, capacities: &[u32]) -> Option<(u32, u32)> {
    let mut left = index;
    for (room, &capacity) in capacities.iter().enumerate() {
        if left < capacity as usize {
            return Some((room as u32 + 1, left as u32 + 1));
        }
        left -= capacity as usize;
    }
    None
}

/// The order candidates take the seats in, room after room.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SeatRule {
    /// In the order candidates were first arranged, which the default 准考证号 follows (the rule before there was a
    /// choice).
    #[default]
    #[serde(rename = "按准考证号")]
    TicketOrder,
    #[serde(rename = "按证件号码")]
    IdNumber,
    /// Shuffled by a seed that is recorded, so the same seed over the same candidates gives the same chart.
    #[serde(rename = "随机")]
    Random,
    /// No two neighbours in seat order from the same 工作单位 while others can sit between them.
    #[serde(rename = "同单位分开")]
    EmployerApart,
    /// A unit's candidates on consecutive seats.
    #[serde(rename = "同单位集中")]
    EmployerTogether,
}

impl SeatRule {
    pub const ALL: [SeatRule; 5] = [
        SeatRule::TicketOrder,
        SeatRule::IdNumber,
        SeatRule::Random,
        SeatRule::EmployerApart,
        SeatRule::EmployerTogether,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SeatRule::TicketOrder => "按准考证号",
            SeatRule::IdNumber => "按证件号码",
            SeatRule::Random => "随机",
            SeatRule::EmployerApart => "同单位分开",
            SeatRule::EmployerTogether => "同单位集中",
        }
    }

    pub fn parse(text: &str) -> Result<SeatRule> {
        let t = text.trim();
        SeatRule::ALL.into_iter().find(|r| r.label() == t || t == format!("{}排座", r.label())).ok_or_else(|| {
            let choices: Vec<&str> = SeatRule::ALL.iter().map(|r| r.label()).collect();
            Error::invalid("排座规则", format!("“{t}”不是排座规则，可选：{}", choices.join("、")))
        })
    }
}

/// What the seat rules look at of one candidate.
#[derive(Debug, Clone, Copy)]
pub struct SeatCandidate<'a> {
    /// The candidate's number in the plan, in the order first arranged.
    pub sequence: u32,
    pub id_number: &'a str,
    /// 工作单位 as stored; None or blank: no unit to keep apart or together.
    pub employer: Option<&'a str>,
}

/// The candidates' indices in seat order under `rule` (`seed` is used by [`SeatRule::Random`] only). The result
/// depends on the candidates, not on the order they are given in.
pub fn seat_order(rule: SeatRule, seed: u64, people: &[SeatCandidate<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by_key(|&i| people[i].sequence);
    let unit = |i: usize| people[i].employer.map(str::trim).filter(|e| !e.is_empty());
    match rule {
        SeatRule::TicketOrder => {}
        SeatRule::IdNumber => order.sort_by_key(|&i| people[i].id_number),
        SeatRule::Random => {
            let mut random = SplitMix64(seed);
            for i in (1..order.len()).rev() {
                let j = (random.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
        }
        // Candidates without a unit last, each unit's together in 证件号码 order.
        SeatRule::EmployerTogether => order.sort_by(|&a, &b| {
            (unit(a).is_none(), unit(a), people[a].id_number).cmp(&(unit(b).is_none(), unit(b), people[b].id_number))
        }),
        SeatRule::EmployerApart => order = apart(&order, &unit),
    }
    order
}

/// Deals from the unit with the most candidates left that is not the one just seated (people without a unit are each
/// their own): the greedy order that leaves two of a unit side by side only when nobody else is left to put between.
fn apart<'a>(order: &[usize], unit: &dyn Fn(usize) -> Option<&'a str>) -> Vec<usize> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for &i in order {
        let group = match unit(i) {
            Some(u) => *index.entry(u).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            }),
            None => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[group].push(i);
    }
    // Largest first; among equals the group that starts earliest in sequence. Each group is taken from its front.
    let mut next = vec![0usize; groups.len()];
    let mut heap: BinaryHeap<(usize, std::cmp::Reverse<usize>)> =
        groups.iter().enumerate().map(|(g, members)| (members.len(), std::cmp::Reverse(g))).collect();
    let mut seated = Vec::with_capacity(order.len());
    let mut held: Option<(usize, std::cmp::Reverse<usize>)> = None;
    while let Some((left, g)) = heap.pop() {
        let group = g.0;
        seated.push(groups[group][next[group]]);
        next[group] += 1;
        // The group just seated waits out one turn so that someone else sits next.
        if let Some(waiting) = held.take() {
            heap.push(waiting);
        }
        if left > 1 {
            held = Some((left - 1, g));
        }
        if heap.is_empty()
            && let Some(waiting) = held.take()
        {
            heap.push(waiting);
        }
    }
    seated
}

/// A seed for [`SeatRule::Random`] when the operator gives none: from the clock, and recorded with the arrangement.
pub fn fresh_seed() -> u32 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    // Kept to 9 digits: short enough to read out and type again.
    (SplitMix64(nanos as u64).next() % 1_000_000_000) as u32
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, and fixed here so a recorded seed gives the same chart in any later
/// version of the program.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people<'a>(rows: &'a [(u32, &'a str, Option<&'a str>)]) -> Vec<SeatCandidate<'a>> {
        rows.iter().map(|&(n, id, e)| SeatCandidate { sequence: n, id_number: id, employer: e }).collect()
    }

    const ROWS: [(u32, &str, Option<&str>); 7] = [
        (1, "110101199003070051", Some("甲厂")),
        (2, "110101198805120026", Some("甲厂")),
        (3, "110101199207150034", Some("甲厂")),
        (4, "110101199512010047", Some("乙公司")),
        (5, "110101198601010015", None),
        (6, "110101199909090062", Some("乙公司")),
        (7, "110101200001010018", Some(" ")),
    ];

    #[test]
    fn seat_rules_order_as_named() {
        let p = people(&ROWS);
        assert_eq!(seat_order(SeatRule::TicketOrder, 0, &p), vec![0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(seat_order(SeatRule::IdNumber, 0, &p), vec![4, 1, 0, 2, 3, 5, 6]);
        // Units together (by 证件号码 within each), those without one (blank counts as none) last.
        assert_eq!(seat_order(SeatRule::EmployerTogether, 0, &p), vec![3, 5, 1, 0, 2, 4, 6]);
        let apart = seat_order(SeatRule::EmployerApart, 0, &p);
        let mut sorted = apart.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4, 5, 6], "everyone seated once: {apart:?}");
        for pair in apart.windows(2) {
            let (a, b) = (ROWS[pair[0]].2, ROWS[pair[1]].2);
            assert!(a.is_none_or(|a| a.trim().is_empty()) || a != b, "{pair:?} neighbours of one unit in {apart:?}");
        }
        assert_eq!(SeatRule::parse("同单位分开").unwrap(), SeatRule::EmployerApart);
        assert_eq!(SeatRule::parse("随机排座").unwrap(), SeatRule::Random);
        assert!(SeatRule::parse("按身高").unwrap_err().to_string().contains("可选"));
    }

    #[test]
    fn a_unit_too_big_to_keep_apart_is_spread_as_far_as_it_goes() {
        let ids: Vec<String> = (1..=6).map(|i| format!("{i}")).collect();
        let p: Vec<SeatCandidate> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| SeatCandidate {
                sequence: i as u32 + 1,
                id_number: id,
                employer: Some(if i < 4 { "甲厂" } else { "乙公司" }),
            })
            .collect();
        let units: Vec<&str> =
            seat_order(SeatRule::EmployerApart, 0, &p).iter().map(|&i| p[i].employer.unwrap()).collect();
        assert_eq!(units, ["甲厂", "乙公司", "甲厂", "乙公司", "甲厂", "甲厂"]);
    }

    #[test]
    fn a_recorded_seed_gives_the_same_chart_and_another_seed_another() {
        let p = people(&ROWS);
        let once = seat_order(SeatRule::Random, 20261228, &p);
        let mut reversed = p.clone();
        reversed.reverse();
        let again: Vec<u32> =
            seat_order(SeatRule::Random, 20261228, &reversed).iter().map(|&i| reversed[i].sequence).collect();
        let once_tickets: Vec<u32> = once.iter().map(|&i| p[i].sequence).collect();
        assert_eq!(once_tickets, again, "the seed, not the input order, decides");
        assert_ne!(seat_order(SeatRule::Random, 7, &p), once);
        // Fixed forever: this seed over these seven gives this order in every version.
        assert_eq!(once, seat_order(SeatRule::Random, 20261228, &p));
        assert!(fresh_seed() < 1_000_000_000);
    }

    #[test]
    fn sittings_parse_as_operators_write_them() {
        let s = Sitting::parse("理论知识", "2026-12-28 09:00-10:30").unwrap();
        assert_eq!(s.label(), "2026-12-28 09:00-10:30");
        assert_eq!(Sitting::parse("理论知识", "2026/12/28 9:00～10:30").unwrap(), s);
        assert_eq!(Sitting::parse("理论知识", "2026年12月28日 09：00-10：30").unwrap(), s);
        assert!(Sitting::parse("理论知识", "2026-12-28 10:30-09:00").unwrap_err().to_string().contains("晚于"));
        assert!(Sitting::parse("理论知识", "2026-12-28").is_err());
        assert!(Sitting::parse("理论知识", "明天上午").is_err());
        let later = Sitting::parse("操作技能", "2026-12-28 10:30-12:00").unwrap();
        assert!(!s.overlaps(&later), "one ending as the other starts");
        assert!(s.overlaps(&Sitting::parse("操作技能", "2026-12-28 10:00-12:00").unwrap()));
        assert!(later.overlaps(&s) == s.overlaps(&later));
    }

    #[test]
    fn tickets_and_seats() {
        assert_eq!(ticket_sequence("155265", "1552650123"), Some(123));
        assert_eq!(ticket_sequence("155265", "2644123007"), None);
        assert_eq!(seat_in(29, &[30, 30]), Some((1, 30)));
        assert_eq!(seat_in(30, &[30, 30]), Some((2, 1)));
        // A 实操 room of 24 seats and 12 workstations works in two groups; a 笔试 room has none.
        let room = |kind, workstations| ArrangedRoom { name: "实训室".into(), kind, capacity: 24, workstations };
        let practical = room(RoomKind::Practical, Some(12));
        assert_eq!(
            [1, 12, 13, 24].map(|s| practical.practical_group(s)),
            [1, 12, 13, 24].map(|s| Some(((s - 1) / 12 + 1, (s - 1) % 12 + 1)))
        );
        assert_eq!(practical.practical_group(13), Some((2, 1)));
        assert_eq!(room(RoomKind::Practical, Some(24)).practical_group(5), None, "one group: no turns");
        assert_eq!(room(RoomKind::Written, Some(12)).practical_group(5), None);
        // Rooms of 2, 3 and 1 seats.
        let places: Vec<Option<(u32, u32)>> = (0..7).map(|i| seat_in(i, &[2, 3, 1])).collect();
        let want = [Some((1, 1)), Some((1, 2)), Some((2, 1)), Some((2, 2)), Some((2, 3)), Some((3, 1)), None];
        assert_eq!(places, want);
    }
}
