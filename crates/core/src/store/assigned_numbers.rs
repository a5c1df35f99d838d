//! The `assigned_numbers` table: 证书编号 the province assigned, per application, waiting for the issue step.

use std::collections::HashMap;

use super::sql::{Connection, OptionalExtension, params};
use crate::error::Result;

/// Assigns `number` to an application (replacing what an earlier import assigned it).
pub fn assign(conn: &Connection, application_id: i64, number: &str, by: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO assigned_numbers (application_id, number, imported_by, imported_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (application_id) DO UPDATE SET number = excluded.number, imported_by = excluded.imported_by,
             imported_at = excluded.imported_at",
    )?
    .execute(params![application_id, number, by, now])?;
    Ok(())
}

/// The application a number is assigned to.
pub fn holder(conn: &Connection, number: &str) -> Result<Option<i64>> {
    conn.prepare_cached("SELECT application_id FROM assigned_numbers WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()
}

/// A plan's assigned numbers, by application.
pub fn for_plan(conn: &Connection, plan_id: i64) -> Result<HashMap<i64, String>> {
    conn.prepare_cached(
        "SELECT n.application_id, n.number FROM assigned_numbers n JOIN applications a ON a.id = n.application_id
         WHERE a.plan_id = ?1",
    )?
    .query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// Whether any number was ever assigned (generated numbers need checking against them only then).
pub fn any(conn: &Connection) -> Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM assigned_numbers)")?.query_row((), |r| r.get(0))
}
