//! Counts across tables that the 工作台 shows for a plan (what needs attention, how the plan stands).

use super::sql::{Connection, params};

use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::error::Result;

fn count(conn: &Connection, sql: &str, plan_id: i64, extra: &str) -> Result<i64> {
    conn.prepare_cached(sql)?.query_row(params![plan_id, extra], |r| r.get(0))
}

/// Applications of the plan with this payment state.
pub fn with_payment(conn: &Connection, plan_id: i64, payment: PaymentStatus) -> Result<i64> {
    count(conn, "SELECT count(*) FROM applications WHERE plan_id = ?1 AND payment = ?2", plan_id, payment.label())
}

/// Applications still taking a place (not 申请不通过) whose candidate has no photo.
pub fn without_photo(conn: &Connection, plan_id: i64) -> Result<i64> {
    count(
        conn,
        "SELECT count(*) FROM applications a WHERE a.plan_id = ?1 AND a.status <> ?2
           AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.candidate_id = a.candidate_id)",
        plan_id,
        ApplicationStatus::Rejected.label(),
    )
}

/// Applications still taking a place that are 待支付.
pub fn unpaid(conn: &Connection, plan_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM applications WHERE plan_id = ?1 AND status <> ?2 AND payment = ?3")?
        .query_row(params![plan_id, ApplicationStatus::Rejected.label(), PaymentStatus::Unpaid.label()], |r| r.get(0))
}

pub fn certificates(conn: &Connection, plan_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM certificates WHERE plan_id = ?1")?.query_row([plan_id], |r| r.get(0))
}

/// Published results with a 缺考 mark.
pub fn absent(conn: &Connection, plan_id: i64) -> Result<i64> {
    count(
        conn,
        "SELECT count(*) FROM scores s JOIN applications a ON a.id = s.application_id
          WHERE a.plan_id = ?1 AND a.status = ?2 AND -1 IN (s.theory, s.practical, s.review)",
        plan_id,
        ApplicationStatus::ScoresPublished.label(),
    )
}
