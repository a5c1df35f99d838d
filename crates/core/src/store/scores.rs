//! The `scores` table: each filed application's marks; `score_corrections`: each correction made to them.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use super::sql::{Connection, OptionalExtension, params};

use crate::domain::score::{Mark, Marks, Part};
use crate::error::{Error, Result};

fn mark(value: Option<i64>) -> Option<Mark> {
    value.and_then(Mark::from_db)
}

pub fn get(conn: &Connection, application_id: i64) -> Result<Marks> {
    Ok(stored(conn, application_id)?
        .map(|(t, p, r)| Marks { theory: mark(t), practical: mark(p), review: mark(r) })
        .unwrap_or_default())
}

/// The marks of a plan's applications in one read (an application without any has none here).
pub fn for_plan(conn: &Connection, plan_id: i64) -> Result<HashMap<i64, Marks>> {
    conn.prepare_cached(
        "SELECT s.application_id, s.theory, s.practical, s.review
         FROM scores s JOIN applications a ON a.id = s.application_id WHERE a.plan_id = ?1",
    )?
    .query_map([plan_id], |r| {
        let marks = Marks { theory: mark(r.get(1)?), practical: mark(r.get(2)?), review: mark(r.get(3)?) };
        Ok((r.get::<i64>(0)?, marks))
    })?
    .collect()
}

/// 理论, 操作, 综合评审 as stored: tenths, -1 for 缺考, None for no mark.
pub type StoredMarks = (Option<i64>, Option<i64>, Option<i64>);

/// The marks as stored, None when the application has no row.
pub fn stored(conn: &Connection, application_id: i64) -> Result<Option<StoredMarks>> {
    conn.prepare_cached("SELECT theory, practical, review FROM scores WHERE application_id = ?1")?
        .query_row([application_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

pub fn save(conn: &Connection, application_id: i64, marks: &Marks, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO scores (application_id, theory, practical, review, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (application_id) DO UPDATE SET theory = excluded.theory, practical = excluded.practical,
             review = excluded.review, updated_at = excluded.updated_at",
    )?
    .execute(params![
        application_id,
        marks.theory.map(Mark::to_db),
        marks.practical.map(Mark::to_db),
        marks.review.map(Mark::to_db),
        now
    ])?;
    Ok(())
}

/// One correction of a mark: the mark before it and after it, why, who and when. The first of a part holds the
/// original mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Correction {
    pub part: Part,
    #[ts(as = "Option<String>")]
    pub old: Option<Mark>,
    #[ts(as = "Option<String>")]
    pub new: Option<Mark>,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

pub fn add_correction(conn: &Connection, application_id: i64, c: &Correction) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO score_corrections (application_id, part, old_mark, new_mark, reason, actor, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        application_id,
        c.part.key(),
        c.old.map(Mark::to_db),
        c.new.map(Mark::to_db),
        c.reason,
        c.actor,
        c.at
    ])?;
    Ok(())
}

/// The corrections of a plan's marks, per application, oldest first.
pub fn corrections_for_plan(conn: &Connection, plan_id: i64) -> Result<HashMap<i64, Vec<Correction>>> {
    let mut by_application: HashMap<i64, Vec<Correction>> = HashMap::new();
    let rows = conn
        .prepare_cached(
            "SELECT c.application_id, c.part, c.old_mark, c.new_mark, c.reason, c.actor, c.at
             FROM score_corrections c JOIN applications a ON a.id = c.application_id
             WHERE a.plan_id = ?1 ORDER BY c.id",
        )?
        .query_map([plan_id], |r| {
            let part: String = r.get(1)?;
            let part = Part::ALL
                .into_iter()
                .find(|p| p.key() == part)
                .ok_or_else(|| Error::Data(format!("成绩更正记录的科目“{part}”无法识别")))?;
            Ok((
                r.get::<i64>(0)?,
                Correction {
                    part,
                    old: mark(r.get(2)?),
                    new: mark(r.get(3)?),
                    reason: r.get(4)?,
                    actor: r.get(5)?,
                    at: r.get(6)?,
                },
            ))
        })?
        .collect::<Result<Vec<_>>>()?;
    for (application_id, correction) in rows {
        by_application.entry(application_id).or_default().push(correction);
    }
    Ok(by_application)
}
