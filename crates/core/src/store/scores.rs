//! The `scores` table: each filed application's marks.

use super::sql::{Connection, OptionalExtension, params};

use crate::domain::score::{Mark, Marks};
use crate::error::Result;

fn mark(value: Option<i64>) -> Option<Mark> {
    value.and_then(Mark::from_db)
}

pub fn get(conn: &Connection, application_id: i64) -> Result<Marks> {
    Ok(stored(conn, application_id)?
        .map(|(t, p, r)| Marks { theory: mark(t), practical: mark(p), review: mark(r) })
        .unwrap_or_default())
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
