//! The `results_notices` table: the days a plan's results are on notice (成绩公示), one notice per plan.

use super::sql::{Connection, OptionalExtension, params};

use crate::domain::results::NoticePeriod;
use crate::error::Result;

pub fn get(conn: &Connection, plan_id: i64) -> Result<Option<NoticePeriod>> {
    conn.prepare_cached("SELECT opens_on, ends_on FROM results_notices WHERE plan_id = ?1")?
        .query_row([plan_id], |r| Ok(NoticePeriod { opens_on: r.get(0)?, ends_on: r.get(1)? }))
        .optional()
}

/// Opens (or, when the results are published again, reopens) a plan's notice.
pub fn open(conn: &Connection, plan_id: i64, period: &NoticePeriod, by: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO results_notices (plan_id, opens_on, ends_on, published_by, published_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (plan_id) DO UPDATE SET opens_on = excluded.opens_on, ends_on = excluded.ends_on,
             published_by = excluded.published_by, published_at = excluded.published_at",
    )?
    .execute(params![plan_id, period.opens_on, period.ends_on, by, now])?;
    Ok(())
}
