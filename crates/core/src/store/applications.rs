//! The `applications` table: candidate × plan, with its status and 支付状态.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::plans::text_error;
use crate::domain::id_number::IdType;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::error::{Error, Result};

/// An application with who it is for, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub plan_id: i64,
    pub candidate_id: i64,
    pub name: String,
    pub id_type: IdType,
    pub id_number: String,
    pub phone: String,
    pub status: ApplicationStatus,
    pub payment: PaymentStatus,
    /// Why it was refused (申请不通过).
    pub reject_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT a.id, a.plan_id, a.candidate_id, c.name, c.id_type, c.id_number, c.phone, a.status, \
                      a.payment, a.reject_reason, a.created_at, a.updated_at \
                      FROM applications a JOIN candidates c ON c.id = a.candidate_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Application> {
    let id_type: String = r.get(4)?;
    let status: String = r.get(7)?;
    let payment: String = r.get(8)?;
    Ok(Application {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        candidate_id: r.get(2)?,
        name: r.get(3)?,
        id_type: IdType::parse(&id_type).map_err(|e| text_error(4, e))?,
        id_number: r.get(5)?,
        phone: r.get(6)?,
        status: ApplicationStatus::parse(&status).map_err(|e| text_error(7, e))?,
        payment: PaymentStatus::parse(&payment).map_err(|e| text_error(8, e))?,
        reject_reason: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

pub fn insert(conn: &Connection, plan_id: i64, candidate_id: i64, payment: PaymentStatus, now: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO applications (plan_id, candidate_id, status, payment, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![plan_id, candidate_id, ApplicationStatus::Pending.label(), payment.label(), now])
    .map_err(|e| super::unique_violation(e, || "该考生已报名此计划，不能重复报名".to_string()))?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Application> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的报名")))
}

pub fn find(conn: &Connection, plan_id: i64, candidate_id: i64) -> Result<Option<Application>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE a.plan_id = ?1 AND a.candidate_id = ?2"))?
        .query_row([plan_id, candidate_id], from_row)
        .optional()?)
}

/// A plan's applications, optionally of one status, in the order they came in.
pub fn list_for_plan(conn: &Connection, plan_id: i64, status: Option<ApplicationStatus>) -> Result<Vec<Application>> {
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE a.plan_id = ?1 AND (?2 IS NULL OR a.status = ?2) ORDER BY a.id"))?;
    let rows = stmt
        .query_map(params![plan_id, status.map(ApplicationStatus::label)], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Applications that hold a place in the plan (all but 申请不通过), for its capacity.
pub fn count_taking_places(conn: &Connection, plan_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM applications WHERE plan_id = ?1 AND status <> ?2")?
        .query_row(params![plan_id, ApplicationStatus::Rejected.label()], |r| r.get(0))?)
}

/// Whether any application of this candidate locks the profile (申请通过 or later).
pub fn locking_status(conn: &Connection, candidate_id: i64) -> Result<Option<ApplicationStatus>> {
    let locked: Vec<&str> = ApplicationStatus::ALL.iter().filter(|s| s.locks_profile()).map(|s| s.label()).collect();
    let status: Option<String> = conn
        .query_row(
            "SELECT status FROM applications WHERE candidate_id = ?1 AND status IN (?2, ?3, ?4) LIMIT 1",
            params![candidate_id, locked[0], locked[1], locked[2]],
            |r| r.get(0),
        )
        .optional()?;
    status.map(|s| ApplicationStatus::parse(&s)).transpose()
}

pub fn set_status(
    conn: &Connection,
    id: i64,
    status: ApplicationStatus,
    reject_reason: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE applications SET status = ?2, reject_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status.label(), reject_reason, now],
    )?;
    Ok(())
}

pub fn set_payment(conn: &Connection, id: i64, payment: PaymentStatus, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE applications SET payment = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, payment.label(), now],
    )?;
    Ok(())
}

/// Counts per status for one plan, in the order of [`ApplicationStatus::ALL`].
pub fn count_by_status(conn: &Connection, plan_id: i64) -> Result<Vec<(ApplicationStatus, i64)>> {
    let mut stmt = conn.prepare("SELECT count(*) FROM applications WHERE plan_id = ?1 AND status = ?2")?;
    ApplicationStatus::ALL
        .into_iter()
        .map(|s| Ok((s, stmt.query_row(params![plan_id, s.label()], |r| r.get(0))?)))
        .collect()
}
