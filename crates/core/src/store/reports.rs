//! The `result_reports` table: where a plan's results report to the provincial system stands. No row: 未上报.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::plans::text_error;
use super::sql::{Connection, OptionalExtension, Row, params};
use crate::domain::results::ReportState;
use crate::error::Result;

/// A plan's report as last recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResultReport {
    pub plan_id: i64,
    pub state: ReportState,
    /// When it was (last) sent.
    pub reported_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub returned_reason: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub updated_by: String,
    pub updated_at: String,
}

const COLUMNS: &str = "plan_id, state, reported_on, returned_on, returned_reason, accepted_on, updated_by, updated_at";

fn from_row(r: &Row<'_>) -> Result<ResultReport> {
    let state: String = r.get(1)?;
    Ok(ResultReport {
        plan_id: r.get(0)?,
        state: ReportState::parse(&state).map_err(|e| text_error(1, e))?,
        reported_on: r.get(2)?,
        returned_on: r.get(3)?,
        returned_reason: r.get(4)?,
        accepted_on: r.get(5)?,
        updated_by: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub fn get(conn: &Connection, plan_id: i64) -> Result<Option<ResultReport>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM result_reports WHERE plan_id = ?1"))?
        .query_row([plan_id], from_row)
        .optional()
}

/// Writes the report's state as recorded now.
pub fn put(conn: &Connection, report: &ResultReport) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO result_reports ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (plan_id) DO UPDATE SET state = excluded.state, reported_on = excluded.reported_on,
             returned_on = excluded.returned_on, returned_reason = excluded.returned_reason,
             accepted_on = excluded.accepted_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    ))?
    .execute(params![
        report.plan_id,
        report.state.label(),
        report.reported_on,
        report.returned_on,
        report.returned_reason,
        report.accepted_on,
        report.updated_by,
        report.updated_at
    ])?;
    Ok(())
}
