//! Counts across tables that the 工作台 shows for a plan (what needs attention, how the plan stands), and the
//! grouped outcomes the yearly statistics are summed from.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::plans::text_error;
use super::sql::{Connection, Params, params};
use crate::domain::score::{Mark, Marks, PASS_MARK};
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

/// Applications grouped by what statistics tell apart: the plan, the candidate's 考生来源, the status, each part's mark
/// as 缺考 / below the pass mark / passed / not entered, and whether a valid certificate was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeGroup {
    pub plan_id: i64,
    pub source: Option<String>,
    pub status: ApplicationStatus,
    /// Representative marks: 缺考, 0 (below the pass mark) or the pass mark itself.
    pub marks: Marks,
    pub certified: bool,
    pub count: i64,
}

/// Which applications [`outcomes`] groups.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Those of the plans whose exam date lies within the two days, both included.
    Exams(NaiveDate, NaiveDate),
    Plan(i64),
}

/// The groups of the applications in `scope`. The rows are read once, each reduced to a few small values, and
/// counted here: SQLite's GROUP BY would sort every row first (three times slower over 100,000 applications).
pub fn outcomes(conn: &Connection, scope: Scope) -> Result<Vec<OutcomeGroup>> {
    // A part's mark as a class: 0 not entered, 1 缺考, 2 below the pass mark, 3 passed; the three parts in one number.
    const ROWS: &str = "SELECT a.plan_id, c.source, a.status,
                (CASE WHEN s.theory IS NULL THEN 0 WHEN s.theory < 0 THEN 1 WHEN s.theory >= ?1 THEN 3 ELSE 2 END) * 16
              + (CASE WHEN s.practical IS NULL THEN 0 WHEN s.practical < 0 THEN 1 WHEN s.practical >= ?1 THEN 3 ELSE 2 END) * 4
              + (CASE WHEN s.review IS NULL THEN 0 WHEN s.review < 0 THEN 1 WHEN s.review >= ?1 THEN 3 ELSE 2 END),
                CASE WHEN k.id IS NULL THEN 0 ELSE 1 END
         FROM plans p
         JOIN applications a ON a.plan_id = p.id
         JOIN candidates c ON c.id = a.candidate_id
         LEFT JOIN scores s ON s.application_id = a.id
         LEFT JOIN certificates k ON k.application_id = a.id AND k.state = '有效'";
    let pass = i64::from(PASS_MARK);
    match scope {
        Scope::Exams(from, to) => {
            tally(conn, &format!("{ROWS} WHERE p.exam_date >= ?2 AND p.exam_date <= ?3"), params![pass, from, to])
        }
        Scope::Plan(plan_id) => tally(conn, &format!("{ROWS} WHERE p.id = ?2"), params![pass, plan_id]),
    }
}

type GroupKey = (i64, Option<String>, String, i64, bool);

fn tally(conn: &Connection, sql: &str, values: impl Params) -> Result<Vec<OutcomeGroup>> {
    let mut counts: HashMap<GroupKey, i64> = HashMap::new();
    conn.prepare_cached(sql)?.for_each(values, |r| {
        let key = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<i64>(4)? == 1);
        *counts.entry(key).or_default() += 1;
        Ok(())
    })?;
    let mark = |class: i64| match class & 3 {
        0 => None,
        1 => Some(Mark::Absent),
        2 => Some(Mark::Score(0)),
        _ => Some(Mark::Score(PASS_MARK)),
    };
    counts
        .into_iter()
        .map(|((plan_id, source, status, classes, certified), count)| {
            Ok(OutcomeGroup {
                plan_id,
                source,
                status: ApplicationStatus::parse(&status).map_err(|e| text_error(2, e))?,
                marks: Marks { theory: mark(classes >> 4), practical: mark(classes >> 2), review: mark(classes) },
                certified,
                count,
            })
        })
        .collect()
}
