//! The `audit_log` table: append-only (triggers refuse UPDATE and DELETE).

use super::sql::{Connection, Engine, Row, params};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Page;
use crate::error::Result;

/// One change: who, when, what, from, to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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

/// Appends one row, inside the caller's transaction (on a server it may be sent with the next ones: see
/// [`Connection::insert_deferred`]; a read of the trail sees it all the same).
pub fn append(conn: &Connection, e: &NewAuditEntry<'_>, now: &str) -> Result<()> {
    conn.insert_deferred(
        "audit_log",
        "at, actor, entity, entity_id, action, from_value, to_value, detail, id_number, plan_id",
        &params![
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
        ],
    )
}

fn from_row(r: &Row<'_>) -> crate::error::Result<AuditEntry> {
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

/// When and by whom the first entry of this entity, action and new value was written.
pub fn first(conn: &Connection, entity: &str, action: &str, to_value: &str) -> Result<Option<(String, String)>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(
        "SELECT at, actor FROM audit_log WHERE entity = ?1 AND action = ?2 AND to_value = ?3 ORDER BY id LIMIT 1",
    )?
    .query_row([entity, action, to_value], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// The last status change of one application of the candidate `id_number` (through the index on id_number):
/// when, by whom, what. Tells an operator who decided an application a moment before them.
pub fn last_status_change(
    conn: &Connection,
    application_id: i64,
    id_number: &str,
) -> Result<Option<(String, String, String)>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(
        "SELECT at, actor, action FROM audit_log
         WHERE id_number = ?1 AND entity = 'application' AND entity_id = ?2 AND to_value IS NOT NULL
         ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![id_number, application_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// The last audit row of a plan itself (through the index on plan_id): when, by whom, what.
pub fn last_plan_change(conn: &Connection, plan_id: i64) -> Result<Option<(String, String, String)>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(
        "SELECT at, actor, action FROM audit_log WHERE plan_id = ?1 AND entity = 'plan' ORDER BY id DESC LIMIT 1",
    )?
    .query_row([plan_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// The id of the newest audit row (0 when there is none).
pub fn last_id(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", (), |r| r.get(0))
}

/// The last audit row of one thing of the candidate `id_number` (through the index on id_number): when, by whom,
/// what.
pub fn last_change(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    id_number: &str,
) -> Result<Option<(String, String, String)>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(
        "SELECT at, actor, action FROM audit_log WHERE id_number = ?1 AND entity = ?2 AND entity_id = ?3
         ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![id_number, entity, entity_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// Oldest first; only one candidate's rows when `id_number` is given (through the index on id_number).
pub fn list(conn: &Connection, id_number: Option<&str>) -> Result<Vec<AuditEntry>> {
    let rows = match id_number {
        Some(number) => conn
            .prepare(&format!("{SELECT} WHERE id_number = ?1 ORDER BY id"))?
            .query_map([number], from_row)?
            .collect::<crate::error::Result<Vec<_>>>()?,
        None => conn
            .prepare(&format!("{SELECT} ORDER BY id"))?
            .query_map((), from_row)?
            .collect::<crate::error::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

/// What the 操作日志 screen asks for: newest first, filtered, one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    pub plan_id: Option<i64>,
    /// One candidate's rows (证件号码 as stored).
    pub id_number: Option<String>,
    /// Part of the operator's name.
    pub actor: Option<String>,
    /// The action exactly, e.g. 审核通过.
    pub action: Option<String>,
    /// Rows on or after / on or before these dates (YYYY-MM-DD, +08:00 as recorded).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub page_size: u32,
}

pub fn search(conn: &Connection, query: &AuditQuery) -> Result<Page<AuditEntry>> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn super::sql::ToSql>> = Vec::new();
    if let Some(plan_id) = query.plan_id {
        conditions.push("plan_id = ?");
        args.push(Box::new(plan_id));
    }
    if let Some(number) = query.id_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        conditions.push("id_number = ?");
        args.push(Box::new(number.to_ascii_uppercase()));
    }
    if let Some(actor) = query.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        conditions.push(match conn.engine() {
            Engine::Sqlite => "instr(actor, ?) > 0",
            Engine::Postgres => "strpos(actor, ?) > 0",
        });
        args.push(Box::new(actor.to_string()));
    }
    if let Some(action) = query.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        conditions.push("action = ?");
        args.push(Box::new(action.to_string()));
    }
    // `at` is "YYYY-MM-DDTHH:MM:SS+08:00": a date compares as a prefix.
    if let Some(from) = query.from {
        conditions.push("at >= ?");
        args.push(Box::new(from.to_string()));
    }
    if let Some(to) = query.to {
        conditions.push("at < ?");
        args.push(Box::new(to.succ_opt().unwrap_or(to).to_string()));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let params = || &args[..];
    let total: i64 = conn.query_row(&format!("SELECT count(*) FROM audit_log {filter}"), params(), |r| r.get(0))?;
    let (page, page_size, offset) = super::page_window(query.page, query.page_size);
    let rows = conn
        .prepare(&format!("{SELECT} {filter} ORDER BY id DESC LIMIT {page_size} OFFSET {offset}"))?
        .query_map(params(), from_row)?
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(Page { total, page, page_size, rows })
}

/// The actions recorded so far, for the filter's choices.
pub fn actions(conn: &Connection) -> Result<Vec<String>> {
    conn.prepare("SELECT DISTINCT action FROM audit_log ORDER BY action")?
        .query_map((), |r| r.get(0))?
        .collect::<crate::error::Result<Vec<_>>>()
}
