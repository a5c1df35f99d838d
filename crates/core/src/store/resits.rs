//! The `resits` table: a 补考 application, the application it re-sits and the parts it keeps from it (their marks are
//! copied into the re-sit's own scores row).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::plans::text_error;
use super::sql::{Connection, OptionalExtension, Row, params};
use crate::domain::score::Part;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resit {
    pub application_id: i64,
    pub original_id: i64,
    /// The parts passed before, kept: not arranged, ticketed or marked again.
    pub carried: Vec<Part>,
    /// The last day the kept parts count.
    pub valid_until: NaiveDate,
}

const COLUMNS: &str = "r.application_id, r.original_id, r.carried, r.valid_until";

fn from_row(r: &Row<'_>) -> Result<Resit> {
    let carried: String = r.get(2)?;
    Ok(Resit {
        application_id: r.get(0)?,
        original_id: r.get(1)?,
        carried: carried
            .split(',')
            .filter(|p| !p.is_empty())
            .map(Part::parse)
            .collect::<Result<_>>()
            .map_err(|e| text_error(2, e))?,
        valid_until: r.get(3)?,
    })
}

pub fn insert(conn: &Connection, resit: &Resit, now: &str) -> Result<()> {
    let carried: Vec<&str> = resit.carried.iter().map(|p| p.key()).collect();
    conn.prepare_cached(
        "INSERT INTO resits (application_id, original_id, carried, valid_until, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![resit.application_id, resit.original_id, carried.join(","), resit.valid_until, now])?;
    Ok(())
}

/// The re-sit an application is, if it is one.
pub fn get(conn: &Connection, application_id: i64) -> Result<Option<Resit>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM resits r WHERE r.application_id = ?1"))?
        .query_row([application_id], from_row)
        .optional()
}

/// The re-sit of an original application, if it was re-sat.
pub fn of_original(conn: &Connection, original_id: i64) -> Result<Option<Resit>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM resits r WHERE r.original_id = ?1"))?
        .query_row([original_id], from_row)
        .optional()
}

/// The re-sits among a plan's applications, by application.
pub fn for_plan(conn: &Connection, plan_id: i64) -> Result<HashMap<i64, Resit>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM resits r JOIN applications a ON a.id = r.application_id WHERE a.plan_id = ?1"
    ))?
    .query_map([plan_id], from_row)?
    .map(|r| r.map(|resit| (resit.application_id, resit)))
    .collect()
}
