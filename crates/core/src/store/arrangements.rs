//! The `arrangements` (one per plan) and `seats` (one per filed application) tables.

use super::sql::{Connection, OptionalExtension, params};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use ts_rs::TS;

use crate::domain::arrangement::{ArrangedRoom, SeatRule, Sitting};
use crate::domain::score::Part;
use crate::error::{Error, Result};

/// A plan's exam arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Arrangement {
    pub plan_id: i64,
    /// 考点地址.
    pub venue: String,
    pub rooms: u32,
    pub seats_per_room: u32,
    /// 理论知识.
    pub theory: Sitting,
    /// 操作技能.
    pub practical: Sitting,
    /// 综合评审 (二级/一级).
    pub review: Option<Sitting>,
    /// How the seats were filled; the seed when that was at random.
    pub seat_rule: SeatRule,
    pub seat_seed: Option<u32>,
    /// The 考点's rooms the seats are in, room 1 first; empty: `rooms` numbered rooms of `seats_per_room` seats.
    pub named_rooms: Vec<ArrangedRoom>,
}

impl Arrangement {
    /// What documents call a room: its name at the 考点 ("机房一"), or "第01考场" for numbered rooms.
    pub fn room_label(&self, room: u32) -> String {
        match self.named_room(room) {
            Some(named) => named.name.clone(),
            None => format!("第{room:02}考场"),
        }
    }

    /// The group and workstation of a seat's candidate in the 操作技能 (a 实操 room worked in turns).
    pub fn practical_group(&self, room: u32, seat: u32) -> Option<(u32, u32)> {
        self.named_room(room)?.practical_group(seat)
    }

    /// Room `room` (from 1) of the 考点's rooms, when the arrangement used them.
    fn named_room(&self, room: u32) -> Option<&ArrangedRoom> {
        self.named_rooms.get(room.checked_sub(1)? as usize)
    }

    /// "第01考场 05号" / "机房一 05号".
    pub fn place_label(&self, room: u32, seat: u32) -> String {
        format!("{} {seat:02}号", self.room_label(room))
    }

    /// When a part is sat (None: 综合评审 at a level without one).
    pub fn sitting(&self, part: Part) -> Option<Sitting> {
        match part {
            Part::Theory => Some(self.theory),
            Part::Practical => Some(self.practical),
            Part::Review => self.review,
        }
    }

    /// The exam's last day: a certificate is never dated before it.
    pub fn last_day(&self) -> NaiveDate {
        [Some(self.theory), Some(self.practical), self.review]
            .into_iter()
            .flatten()
            .map(|s| s.date())
            .max()
            .unwrap_or(self.theory.date())
    }
}

/// Where one candidate sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Seat {
    pub application_id: i64,
    pub ticket_number: String,
    pub room: u32,
    pub seat: u32,
    /// The candidate's number in the plan, in the order first arranged (None in a portal's copy, and for seats
    /// arranged before it was kept, whose 准考证号 ends in it).
    pub sequence: Option<u32>,
}

pub fn save(conn: &Connection, a: &Arrangement, now: &str) -> Result<()> {
    let room_list = match a.named_rooms.is_empty() {
        true => None,
        false => Some(serde_json::to_string(&a.named_rooms).map_err(|e| Error::Data(e.to_string()))?),
    };
    conn.execute(
        "INSERT INTO arrangements (plan_id, venue, rooms, seats_per_room, theory_start, theory_end, practical_start,
                                   practical_end, review_start, review_end, updated_at, seat_rule, seat_seed,
                                   room_list)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (plan_id) DO UPDATE SET venue = excluded.venue, rooms = excluded.rooms,
             seats_per_room = excluded.seats_per_room, theory_start = excluded.theory_start,
             theory_end = excluded.theory_end, practical_start = excluded.practical_start,
             practical_end = excluded.practical_end, review_start = excluded.review_start,
             review_end = excluded.review_end, updated_at = excluded.updated_at, seat_rule = excluded.seat_rule,
             seat_seed = excluded.seat_seed, room_list = excluded.room_list",
        params![
            a.plan_id,
            a.venue,
            a.rooms,
            a.seats_per_room,
            a.theory.start,
            a.theory.end,
            a.practical.start,
            a.practical.end,
            a.review.map(|r| r.start),
            a.review.map(|r| r.end),
            now,
            a.seat_rule.label(),
            a.seat_seed,
            room_list
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, plan_id: i64) -> Result<Option<Arrangement>> {
    conn.query_row(
        "SELECT plan_id, venue, rooms, seats_per_room, theory_start, theory_end, practical_start, practical_end,
                    review_start, review_end, seat_rule, seat_seed, room_list
             FROM arrangements WHERE plan_id = ?1",
        [plan_id],
        |r| {
            let review: (Option<NaiveDateTime>, Option<NaiveDateTime>) = (r.get(8)?, r.get(9)?);
            let seat_rule: String = r.get(10)?;
            let room_list: Option<String> = r.get(12)?;
            let named_rooms = match room_list {
                Some(json) => {
                    serde_json::from_str(&json).map_err(|e| super::plans::text_error(12, Error::Data(e.to_string())))?
                }
                None => Vec::new(),
            };
            Ok(Arrangement {
                plan_id: r.get(0)?,
                venue: r.get(1)?,
                rooms: r.get(2)?,
                seats_per_room: r.get(3)?,
                theory: Sitting { start: r.get(4)?, end: r.get(5)? },
                practical: Sitting { start: r.get(6)?, end: r.get(7)? },
                review: match review {
                    (Some(start), Some(end)) => Some(Sitting { start, end }),
                    _ => None,
                },
                seat_rule: SeatRule::parse(&seat_rule).map_err(|e| super::plans::text_error(10, e))?,
                seat_seed: r.get(11)?,
                named_rooms,
            })
        },
    )
    .optional()
}

const SEAT_COLUMNS: &str = "application_id, ticket_number, room, seat, sequence";

fn seat_from_row(r: &super::sql::Row<'_>) -> Result<Seat> {
    Ok(Seat {
        application_id: r.get(0)?,
        ticket_number: r.get(1)?,
        room: r.get(2)?,
        seat: r.get(3)?,
        sequence: r.get(4)?,
    })
}

/// The seats of a plan, by ticket number.
pub fn seats_for_plan(conn: &Connection, plan_id: i64) -> Result<Vec<Seat>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {SEAT_COLUMNS} FROM seats WHERE plan_id = ?1 ORDER BY ticket_number"))?;
    let rows = stmt.query_map([plan_id], seat_from_row)?.collect::<Result<Vec<_>>>()?;
    Ok(rows)
}

/// For each candidate of `plan_id`, the other plans they are arranged in: (candidate id, other plan id, the
/// application there).
pub fn other_arranged_plans(conn: &Connection, plan_id: i64) -> Result<Vec<(i64, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT mine.candidate_id, s.plan_id, other.id FROM applications mine
         JOIN applications other ON other.candidate_id = mine.candidate_id AND other.plan_id <> mine.plan_id
         JOIN seats s ON s.application_id = other.id
         WHERE mine.plan_id = ?1",
    )?;
    let rows =
        stmt.query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<crate::error::Result<_>>()?;
    Ok(rows)
}

/// Where one application's candidate sits, if arranged.
pub fn seat_of(conn: &Connection, application_id: i64) -> Result<Option<Seat>> {
    conn.prepare_cached(&format!("SELECT {SEAT_COLUMNS} FROM seats WHERE application_id = ?1"))?
        .query_row([application_id], seat_from_row)
        .optional()
}

/// Replaces every seat of a plan (re-arrangement moves people; the unique room+seat pairs must not clash midway).
pub fn replace_seats(conn: &Connection, plan_id: i64, seats: &[Seat]) -> Result<()> {
    conn.execute("DELETE FROM seats WHERE plan_id = ?1", [plan_id])?;
    let mut insert = conn.prepare(
        "INSERT INTO seats (application_id, plan_id, ticket_number, room, seat, sequence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for s in seats {
        insert.execute(params![s.application_id, plan_id, s.ticket_number, s.room, s.seat, s.sequence])?;
    }
    Ok(())
}

/// Which of `tickets` another plan's candidate already holds (准考证号 are unique across plans), with that plan's id.
pub fn tickets_elsewhere(conn: &Connection, plan_id: i64, tickets: &[&str]) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT plan_id FROM seats WHERE ticket_number = ?1 AND plan_id <> ?2")?;
    let mut taken = Vec::new();
    for &ticket in tickets {
        if let Some(other) = stmt.query_row(params![ticket, plan_id], |r| r.get(0)).optional()? {
            taken.push((ticket.to_string(), other));
        }
    }
    Ok(taken)
}
