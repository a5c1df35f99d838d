//! The change log the portal sync reads (`changes`, schema migration 6): triggers append one row per insert or
//! update of a synced table (inserts of candidates and applications are logged by their store functions through
//! [`log`]), unless logging is paused. It is paused while a sync batch is applied (what arrived must
//! not be sent back) and during a bulk import, which logs what it wrote in one statement at the end: a trigger run
//! per row costs SQLite a frame allocation each, which doubled the time of a 100,000-row import.

use rusqlite::Connection;

use crate::error::Result;

/// Logs one new row (the tables whose inserts have no trigger: candidates, applications), unless paused.
pub fn log(conn: &Connection, entity: &str, id: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO changes (entity, entity_id) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM changes_paused)",
    )?
    .execute(rusqlite::params![entity, id])?;
    Ok(())
}

/// Stops the triggers from logging until [`resume`], inside the caller's transaction.
pub fn pause(conn: &Connection) -> Result<()> {
    conn.execute("INSERT OR IGNORE INTO changes_paused (one) VALUES (1)", [])?;
    Ok(())
}

pub fn resume(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM changes_paused", [])?;
    Ok(())
}

/// Logs every candidate and application written at `stamp` (their `updated_at`): what a bulk import wrote with
/// logging paused.
pub fn log_written_at(conn: &Connection, stamp: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO changes (entity, entity_id) SELECT 'candidates', id FROM candidates WHERE updated_at = ?1",
        [stamp],
    )?;
    conn.execute(
        "INSERT INTO changes (entity, entity_id) SELECT 'applications', id FROM applications WHERE updated_at = ?1",
        [stamp],
    )?;
    Ok(())
}
