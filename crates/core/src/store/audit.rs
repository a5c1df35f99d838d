//! The `audit_log` table: append-only (triggers refuse UPDATE and DELETE).

use rusqlite::{Connection, Row, params};
use serde::Serialize;

use crate::error::Result;

/// One change: who, when, what, from, to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub detail: Option<String>,
    pub id_number: Option<String>,
    pub plan_id: Option<i64>,
}

/// What to record; `at` and `id` are filled in by [`append`].
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry<'a> {
    pub actor: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub from_value: Option<&'a str>,
    pub to_value: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub id_number: Option<&'a str>,
    pub plan_id: Option<i64>,
}

pub fn append(conn: &Connection, e: &NewAuditEntry<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, from_value, to_value, detail, id_number, plan_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        now,
        e.actor,
        e.entity,
        e.entity_id,
        e.action,
        e.from_value,
        e.to_value,
        e.detail,
        e.id_number,
        e.plan_id
    ])?;
    Ok(())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        from_value: r.get(6)?,
        to_value: r.get(7)?,
        detail: r.get(8)?,
        id_number: r.get(9)?,
        plan_id: r.get(10)?,
    })
}

const SELECT: &str =
    "SELECT id, at, actor, entity, entity_id, action, from_value, to_value, detail, id_number, plan_id FROM audit_log";

/// Oldest first; only one candidate's rows when `id_number` is given (through the index on id_number).
pub fn list(conn: &Connection, id_number: Option<&str>) -> Result<Vec<AuditEntry>> {
    let rows = match id_number {
        Some(number) => conn
            .prepare(&format!("{SELECT} WHERE id_number = ?1 ORDER BY id"))?
            .query_map([number], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => conn
            .prepare(&format!("{SELECT} ORDER BY id"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}
