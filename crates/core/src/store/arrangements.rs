//! The `arrangements` (one per plan) and `seats` (one per filed application, with its places) tables.

use super::sql::{Connection, OptionalExtension, params};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
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
    /// Parts sat in rooms of their own (操作技能 in 实操 rooms), each with its rooms, room 1 first; the other parts
    /// are sat in `named_rooms` (or the numbered rooms).
    pub own_rooms: Vec<PartRooms>,
}

impl Arrangement {
    /// The rooms `part` is sat in when it has rooms of its own.
    pub fn own_rooms_of(&self, part: Part) -> Option<&[ArrangedRoom]> {
        self.own_rooms.iter().find(|r| r.part == part).map(|r| r.rooms.as_slice())
    }

    /// The 考点's rooms `part` is sat in: its own, or the arrangement's (empty for numbered rooms).
    pub fn rooms_of(&self, part: Part) -> &[ArrangedRoom] {
        self.own_rooms_of(part).unwrap_or(&self.named_rooms)
    }

    /// What documents call room `room` (from 1) of those `part` is sat in: its name at the 考点 ("机房一"), or
    /// "第01考场" for numbered rooms.
    pub fn room_label(&self, part: Part, room: u32) -> String {
        match self.named_room(part, room) {
            Some(named) => named.name.clone(),
            None => format!("第{room:02}考场"),
        }
    }

    /// The group and workstation of a seat's candidate in the 操作技能 (a 实操 room worked in turns).
    pub fn practical_group(&self, room: u32, seat: u32) -> Option<(u32, u32)> {
        self.named_room(Part::Practical, room)?.practical_group(seat)
    }

    fn named_room(&self, part: Part, room: u32) -> Option<&ArrangedRoom> {
        self.rooms_of(part).get(room.checked_sub(1)? as usize)
    }

    /// "第01考场 05号" / "机房一 05号".
    pub fn place_label(&self, part: Part, place: RoomSeat) -> String {
        format!("{} {:02}号", self.room_label(part, place.room), place.seat)
    }

    /// Where a candidate sits each part in `parts`, as one line: "301 05号", or "301 05号；操作技能 实操室一 03号"
    /// when a part is sat in rooms of its own.
    pub fn places_text(&self, seat: &Seat, parts: &[Part]) -> String {
        let mut text = Vec::new();
        if parts.iter().any(|&p| self.own_rooms_of(p).is_none()) {
            text.push(self.place_label(Part::Theory, seat.main_place()));
        }
        for &part in parts.iter().filter(|&&p| self.own_rooms_of(p).is_some()) {
            if let Some(place) = seat.own_place(part) {
                text.push(format!("{} {}", part.label(), self.place_label(part, place)));
            }
        }
        text.join("；")
    }

    /// Where a seat's candidate sits `part`: in the part's own rooms when it has them (None: not seated there),
    /// else at the seat's main place.
    pub fn place_of(&self, seat: &Seat, part: Part) -> Option<RoomSeat> {
        match self.own_rooms_of(part) {
            Some(_) => seat.own_place(part),
            None => Some(seat.main_place()),
        }
    }

    /// How many rooms `part` is sat in.
    pub fn room_count(&self, part: Part) -> u32 {
        self.own_rooms_of(part).map_or(self.rooms, |rooms| rooms.len() as u32)
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

/// A part sat in rooms of its own, and those rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartRooms {
    pub part: Part,
    pub rooms: Vec<ArrangedRoom>,
}

/// A room (from 1) and a seat in it (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct RoomSeat {
    pub room: u32,
    pub seat: u32,
}

/// Where one candidate sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Seat {
    pub application_id: i64,
    pub ticket_number: String,
    /// The place in the arrangement's rooms, for every part without rooms of its own.
    pub room: u32,
    pub seat: u32,
    /// The candidate's number in the plan, in the order first arranged (None in a portal's copy, and for seats
    /// arranged before it was kept, whose 准考证号 ends in it).
    pub sequence: Option<u32>,
    /// The places in the rooms of a part that has its own (None: the candidate does not sit it there).
    pub practical: Option<RoomSeat>,
    pub review: Option<RoomSeat>,
}

impl Seat {
    pub fn main_place(&self) -> RoomSeat {
        RoomSeat { room: self.room, seat: self.seat }
    }

    /// The place in the rooms of `part` when that part has rooms of its own.
    fn own_place(&self, part: Part) -> Option<RoomSeat> {
        match part {
            Part::Theory => None,
            Part::Practical => self.practical,
            Part::Review => self.review,
        }
    }
}

pub fn save(conn: &Connection, a: &Arrangement, now: &str) -> Result<()> {
    fn json<T: Serialize>(list: &[T]) -> Result<Option<String>> {
        match list.is_empty() {
            true => Ok(None),
            false => serde_json::to_string(list).map(Some).map_err(|e| Error::Data(e.to_string())),
        }
    }
    let (room_list, part_rooms) = (json(&a.named_rooms)?, json(&a.own_rooms)?);
    conn.execute(
        "INSERT INTO arrangements (plan_id, venue, rooms, seats_per_room, theory_start, theory_end, practical_start,
                                   practical_end, review_start, review_end, updated_at, seat_rule, seat_seed,
                                   room_list, part_rooms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (plan_id) DO UPDATE SET venue = excluded.venue, rooms = excluded.rooms,
             seats_per_room = excluded.seats_per_room, theory_start = excluded.theory_start,
             theory_end = excluded.theory_end, practical_start = excluded.practical_start,
             practical_end = excluded.practical_end, review_start = excluded.review_start,
             review_end = excluded.review_end, updated_at = excluded.updated_at, seat_rule = excluded.seat_rule,
             seat_seed = excluded.seat_seed, room_list = excluded.room_list, part_rooms = excluded.part_rooms",
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
            room_list,
            part_rooms
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, plan_id: i64) -> Result<Option<Arrangement>> {
    conn.query_row(
        "SELECT plan_id, venue, rooms, seats_per_room, theory_start, theory_end, practical_start, practical_end,
                    review_start, review_end, seat_rule, seat_seed, room_list, part_rooms
             FROM arrangements WHERE plan_id = ?1",
        [plan_id],
        |r| {
            let review: (Option<NaiveDateTime>, Option<NaiveDateTime>) = (r.get(8)?, r.get(9)?);
            let seat_rule: String = r.get(10)?;
            fn list<T: serde::de::DeserializeOwned>(column: usize, json: Option<String>) -> Result<Vec<T>> {
                match json {
                    Some(json) => serde_json::from_str(&json)
                        .map_err(|e| super::plans::text_error(column, Error::Data(e.to_string()))),
                    None => Ok(Vec::new()),
                }
            }
            let named_rooms = list(12, r.get(12)?)?;
            let own_rooms = list(13, r.get(13)?)?;
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
                own_rooms,
            })
        },
    )
    .optional()
}

const SEAT_COLUMNS: &str =
    "application_id, ticket_number, room, seat, sequence, practical_room, practical_seat, review_room, review_seat";

fn seat_from_row(r: &super::sql::Row<'_>) -> Result<Seat> {
    let place = |room: Option<u32>, seat: Option<u32>| room.zip(seat).map(|(room, seat)| RoomSeat { room, seat });
    Ok(Seat {
        application_id: r.get(0)?,
        ticket_number: r.get(1)?,
        room: r.get(2)?,
        seat: r.get(3)?,
        sequence: r.get(4)?,
        practical: place(r.get(5)?, r.get(6)?),
        review: place(r.get(7)?, r.get(8)?),
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
        "INSERT INTO seats (application_id, plan_id, ticket_number, room, seat, sequence, practical_room,
                            practical_seat, review_room, review_seat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for s in seats {
        insert.execute(params![
            s.application_id,
            plan_id,
            s.ticket_number,
            s.room,
            s.seat,
            s.sequence,
            s.practical.map(|p| p.room),
            s.practical.map(|p| p.seat),
            s.review.map(|p| p.room),
            s.review.map(|p| p.seat)
        ])?;
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
