//! The `staff_assignments` (who serves which room's sitting of a plan; room 0 is the 考点 as a whole, where its
//! 督导员 serve) and `staff_declarations` (the conflicts of interest a person declared for one plan) tables.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::sql::{Connection, params};
use crate::domain::score::Part;
use crate::error::Result;

/// One person serving one room's sitting of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Assignment {
    pub plan_id: i64,
    /// 0: the 考点 as a whole (督导员).
    pub room: u32,
    pub part: Part,
    pub staff_id: i64,
    /// Why the operator assigned this person although a rule said no.
    pub override_reason: Option<String>,
}

fn part_of(key: &str) -> Part {
    Part::ALL.into_iter().find(|p| p.key() == key).unwrap_or(Part::Theory)
}

pub fn for_plan(conn: &Connection, plan_id: i64) -> Result<Vec<Assignment>> {
    conn.prepare_cached(
        "SELECT plan_id, room, part, staff_id, override_reason FROM staff_assignments WHERE plan_id = ?1
         ORDER BY room, part, id",
    )?
    .query_map([plan_id], |r| {
        let part: String = r.get(2)?;
        Ok(Assignment {
            plan_id: r.get(0)?,
            room: r.get(1)?,
            part: part_of(&part),
            staff_id: r.get(3)?,
            override_reason: r.get(4)?,
        })
    })?
    .collect()
}

/// Replaces who serves `room`'s sitting of `part`.
pub fn replace(
    conn: &Connection,
    (plan_id, room, part): (i64, u32, Part),
    staff_ids: &[i64],
    override_reason: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "DELETE FROM staff_assignments WHERE plan_id = ?1 AND room = ?2 AND part = ?3",
        params![plan_id, room, part.key()],
    )?;
    for staff_id in staff_ids {
        conn.execute(
            "INSERT INTO staff_assignments (plan_id, room, part, staff_id, override_reason, assigned_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![plan_id, room, part.key(), staff_id, override_reason, now],
        )?;
    }
    Ok(())
}

/// The day each part of each arranged plan is sat: (plan, part) → day.
pub fn sitting_days(conn: &Connection) -> Result<HashMap<(i64, Part), NaiveDate>> {
    let mut days = HashMap::new();
    conn.prepare_cached("SELECT plan_id, theory_start, practical_start, review_start FROM arrangements")?.for_each(
        (),
        |r| {
            let plan: i64 = r.get(0)?;
            for (i, part) in Part::ALL.into_iter().enumerate() {
                let start: Option<String> = r.get(i + 1)?;
                if let Some(day) = start.and_then(|s| s.get(..10).and_then(|d| d.parse().ok())) {
                    days.insert((plan, part), day);
                }
            }
            Ok(())
        },
    )?;
    Ok(days)
}

/// Every plan's assignments as (plan, part, person): what the 3-in-a-row rule looks back over.
pub fn all_served(conn: &Connection) -> Result<Vec<(i64, Part, i64)>> {
    conn.prepare_cached("SELECT DISTINCT plan_id, part, staff_id FROM staff_assignments")?
        .query_map((), |r| {
            let part: String = r.get(1)?;
            Ok((r.get(0)?, part_of(&part), r.get(2)?))
        })?
        .collect()
}

/// Each person's declared conflicts for the plan (证件号码 and units), by staff id.
pub fn declarations(conn: &Connection, plan_id: i64) -> Result<HashMap<i64, Vec<String>>> {
    conn.prepare_cached("SELECT staff_id, declared FROM staff_declarations WHERE plan_id = ?1")?
        .query_map([plan_id], |r| {
            let declared: String = r.get(1)?;
            Ok((r.get(0)?, declared.lines().map(str::to_string).collect()))
        })?
        .collect()
}

/// Records what one person declared for the plan (nothing: the declaration is withdrawn).
pub fn declare(conn: &Connection, plan_id: i64, staff_id: i64, declared: &[String], now: &str) -> Result<()> {
    conn.execute("DELETE FROM staff_declarations WHERE plan_id = ?1 AND staff_id = ?2", params![plan_id, staff_id])?;
    if !declared.is_empty() {
        conn.execute(
            "INSERT INTO staff_declarations (plan_id, staff_id, declared, declared_at) VALUES (?1, ?2, ?3, ?4)",
            params![plan_id, staff_id, declared.join("\n"), now],
        )?;
    }
    Ok(())
}
