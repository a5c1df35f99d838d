//! The change log the portal sync reads (`changes`, schema migration 6): triggers append one row per insert or
//! update of a synced table (inserts of candidates and applications are logged by their store functions through
//! [`log`]), unless logging is paused. It is paused while a sync batch is applied (what arrived must
//! not be sent back) and during a bulk import, which logs what it wrote in one statement at the end: a trigger run
//! per row costs SQLite a frame allocation each, which doubled the time of a 100,000-row import.

use super::sql::Connection;

use crate::error::Result;

/// Logs one new row (the tables whose inserts have no trigger: candidates, applications), unless paused.
pub fn log(conn: &Connection, entity: &str, id: i64) -> Result<()> {
    if conn.changes_paused() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO changes (entity, entity_id) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM changes_paused)",
    )?
    .execute(super::sql::params![entity, id])?;
    Ok(())
}

/// Logs a thing as changed even while logging is paused (a sync sending its own copy back over a refused one).
pub fn log_always(conn: &Connection, entity: &str, id: i64) -> Result<()> {
    conn.execute("INSERT INTO changes (entity, entity_id) VALUES (?1, ?2)", super::sql::params![entity, id])?;
    Ok(())
}

/// Whether the thing changed after `seq`.
pub fn changed_after(conn: &Connection, entity: &str, id: i64, seq: i64) -> Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM changes WHERE entity = ?1 AND entity_id = ?2 AND seq > ?3)")?
        .query_row(super::sql::params![entity, id, seq], |r| r.get(0))
}

/// Up to `limit` changed things after `since`, oldest change first, each once: (entity, id, its last change).
pub fn changed_since(conn: &Connection, since: i64, limit: usize) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity, entity_id, max(seq) AS last FROM changes WHERE seq > ?1
         GROUP BY entity, entity_id ORDER BY last LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(super::sql::params![since, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A sync cursor: the last `changes.seq` of the other side (or ours) that has been taken into account.
pub fn cursor(conn: &Connection, name: &str) -> Result<i64> {
    use super::sql::OptionalExtension;
    Ok(conn.query_row("SELECT seq FROM sync_cursors WHERE name = ?1", [name], |r| r.get(0)).optional()?.unwrap_or(0))
}

/// Moves a cursor forward (never back).
pub fn set_cursor(conn: &Connection, name: &str, seq: i64, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_cursors (name, seq, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET seq = CASE WHEN excluded.seq > sync_cursors.seq THEN excluded.seq ELSE sync_cursors.seq END,
             updated_at = excluded.updated_at",
        super::sql::params![name, seq, now],
    )?;
    Ok(())
}

/// Stops the triggers from logging until [`resume`], inside the caller's transaction.
pub fn pause(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO changes_paused (one) VALUES (1) ON CONFLICT DO NOTHING", ())?;
    conn.set_changes_paused(true);
    Ok(())
}

pub fn resume(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM changes_paused", ())?;
    conn.set_changes_paused(false);
    Ok(())
}

/// Logs every candidate and application whose audit row came after the audit row `after` (what a bulk import
/// wrote with logging paused: each of its writes is audited, and writers take turns, so those rows are its own).
pub fn log_audited_after(conn: &Connection, after: i64) -> Result<()> {
    for (entity, table) in [("candidate", "candidates"), ("application", "applications")] {
        conn.execute(
            "INSERT INTO changes (entity, entity_id)
             SELECT ?2, entity_id FROM audit_log WHERE id > ?1 AND entity = ?3 GROUP BY entity_id ORDER BY min(id)",
            super::sql::params![after, table, entity],
        )?;
    }
    Ok(())
}
