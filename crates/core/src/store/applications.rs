//! The `applications` table: candidate × plan, with its status and 支付状态.

use super::sql::{Connection, Engine, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Page;
use super::plans::text_error;
use crate::domain::id_number::IdType;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::domain::text::to_half_width;
use crate::error::{Error, Result};

/// An application with who it is for, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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

fn from_row(r: &Row<'_>) -> crate::error::Result<Application> {
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
    if conn.defers_new_rows() {
        // A bulk import's new application on a server (the import checked the candidate has none in this plan).
        let id = conn.next_id("applications", "id")?;
        conn.insert_deferred(
            "applications",
            "id, plan_id, candidate_id, status, payment, created_at, updated_at",
            &params![id, plan_id, candidate_id, ApplicationStatus::Pending.label(), payment.label(), now, now],
        )?;
        super::changes::log(conn, "applications", id)?;
        return Ok(id);
    }
    let id = conn
        .prepare_cached(
            "INSERT INTO applications (plan_id, candidate_id, status, payment, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
        )?
        .query_row(params![plan_id, candidate_id, ApplicationStatus::Pending.label(), payment.label(), now], |r| {
            r.get(0)
        })
        .map_err(|e| super::unique_violation(e, || "该考生已报名此计划，不能重复报名".to_string()))?;
    super::changes::log(conn, "applications", id)?;
    Ok(id)
}

/// An application as the other side of a sync has it (its status, payment and times), logged like any insert.
pub fn insert_synced(
    conn: &Connection,
    plan_id: i64,
    candidate_id: i64,
    (status, payment, reject_reason): (ApplicationStatus, PaymentStatus, Option<&str>),
    created_at: &str,
    updated_at: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO applications (plan_id, candidate_id, status, payment, reject_reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )?
    .query_row(
        params![plan_id, candidate_id, status.label(), payment.label(), reject_reason, created_at, updated_at],
        |r| r.get(0),
    )
}

/// The id of the application of the plan with this 报名识别码 and the candidate with this 证件.
pub fn find_by_key(conn: &Connection, plan_code: &str, id_type: IdType, id_number: &str) -> Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT a.id FROM applications a JOIN plans p ON p.id = a.plan_id JOIN candidates c ON c.id = a.candidate_id
             WHERE p.code = ?1 AND c.id_type = ?2 AND c.id_number = ?3",
    )?
    .query_row(params![plan_code, id_type.label(), id_number], |r| r.get(0))
    .optional()
}

/// Applications of a plan, optionally of one status.
pub fn count_in_plan(conn: &Connection, plan_id: i64, status: Option<ApplicationStatus>) -> Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM applications WHERE plan_id = ?1 AND (?2 IS NULL OR status = ?2)")?
        .query_row(params![plan_id, status.map(ApplicationStatus::label)], |r| r.get(0))
}

/// One row of the applications export: the candidate's fields as stored, then the application's.
pub struct ExportRow {
    /// 姓名, 性别, 出生日期, 证件类型, 证件号码, 手机号码, 民族, 文化程度, 工作单位, 通讯地址.
    pub texts: [Option<String>; 10],
    pub years_in_occupation: Option<i64>,
    pub source: Option<String>,
    /// 状态, 支付状态, 不通过原因, 报名时间.
    pub application: [Option<String>; 4],
}

/// Streams a plan's applications (optionally of one status) in the order they came in, one row at a time.
pub fn for_export(
    conn: &Connection,
    plan_id: i64,
    status: Option<ApplicationStatus>,
    mut each: impl FnMut(ExportRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT c.name, c.sex, c.birth_date, c.id_type, c.id_number, c.phone, c.ethnicity, c.education, c.employer,
                c.address, c.years_in_occupation, c.source, a.status, a.payment, a.reject_reason, a.created_at
         FROM applications a JOIN candidates c ON c.id = a.candidate_id
         WHERE a.plan_id = ?1 AND (?2 IS NULL OR a.status = ?2) ORDER BY a.id",
    )?;
    stmt.for_each(params![plan_id, status.map(ApplicationStatus::label)], |r| {
        each(ExportRow {
            texts: [
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ],
            years_in_occupation: r.get(10)?,
            source: r.get(11)?,
            application: [r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?],
        })
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Application> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的报名")))
}

pub fn find(conn: &Connection, plan_id: i64, candidate_id: i64) -> Result<Option<Application>> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.plan_id = ?1 AND a.candidate_id = ?2"))?
        .query_row([plan_id, candidate_id], from_row)
        .optional()
}

/// A plan's applications, optionally of one status, in the order they came in.
pub fn list_for_plan(conn: &Connection, plan_id: i64, status: Option<ApplicationStatus>) -> Result<Vec<Application>> {
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE a.plan_id = ?1 AND (?2 IS NULL OR a.status = ?2) ORDER BY a.id"))?;
    let rows = stmt
        .query_map(params![plan_id, status.map(ApplicationStatus::label)], from_row)?
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The 工作单位 of each application of a plan whose candidate gave one, by application id.
pub fn employers_in_plan(conn: &Connection, plan_id: i64) -> Result<std::collections::HashMap<i64, String>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, c.employer FROM applications a JOIN candidates c ON c.id = a.candidate_id
         WHERE a.plan_id = ?1 AND c.employer IS NOT NULL",
    )?;
    let rows = stmt.query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<crate::error::Result<_>>()?;
    Ok(rows)
}

/// A candidate's applications, newest first.
pub fn list_for_candidate(conn: &Connection, candidate_id: i64) -> Result<Vec<Application>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE a.candidate_id = ?1 ORDER BY a.id DESC"))?;
    let rows = stmt.query_map([candidate_id], from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Applications that hold a place in the plan (all but 申请不通过), for its capacity.
pub fn count_taking_places(conn: &Connection, plan_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM applications WHERE plan_id = ?1 AND status <> ?2")?
        .query_row(params![plan_id, ApplicationStatus::Rejected.label()], |r| r.get(0))
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

/// What the application table (考生 / 报名) asks for: a filter, an order and one page. Everything is done in SQL,
/// so a 100,000-row list never crosses to the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct ApplicationQuery {
    /// One plan, or every plan.
    pub plan_id: Option<i64>,
    /// One candidate's applications (the detail drawer).
    pub candidate_id: Option<i64>,
    pub status: Option<ApplicationStatus>,
    pub payment: Option<PaymentStatus>,
    /// Part of a name or of a 证件号码 (full-width characters and a lower-case x are accepted).
    pub search: Option<String>,
    /// Only candidates with no photo yet.
    pub without_photo: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based.
    pub page: u32,
    /// Rows per page, at most [`super::MAX_PAGE_SIZE`]; 0 means the default 50.
    pub page_size: u32,
}

/// The columns a list can be ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The order applications came in.
    #[default]
    Submitted,
    Name,
    IdNumber,
    Status,
    Payment,
    Updated,
    TicketNumber,
}

impl SortKey {
    fn column(self) -> &'static str {
        match self {
            SortKey::Submitted => "a.id",
            SortKey::Name => "c.name",
            SortKey::IdNumber => "c.id_number",
            SortKey::Status => "a.status",
            SortKey::Payment => "a.payment",
            SortKey::Updated => "a.updated_at",
            SortKey::TicketNumber => "s.ticket_number",
        }
    }
}

/// One row of the application table: the application, its plan's title and what the operator checks at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApplicationRow {
    #[serde(flatten)]
    pub application: Application,
    /// "职业/工种 等级", for lists over every plan.
    pub plan_title: String,
    pub has_photo: bool,
    /// 准考证号, once arranged.
    pub ticket_number: Option<String>,
}

/// The page `query` asks for. The filter is built from fixed SQL pieces; user text only ever goes in as a parameter.
pub fn search(conn: &Connection, query: &ApplicationQuery) -> Result<Page<ApplicationRow>> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn super::sql::ToSql>> = Vec::new();
    if let Some(plan_id) = query.plan_id {
        conditions.push("a.plan_id = ?");
        args.push(Box::new(plan_id));
    }
    if let Some(candidate_id) = query.candidate_id {
        conditions.push("a.candidate_id = ?");
        args.push(Box::new(candidate_id));
    }
    if let Some(status) = query.status {
        conditions.push("a.status = ?");
        args.push(Box::new(status.label()));
    }
    if let Some(payment) = query.payment {
        conditions.push("a.payment = ?");
        args.push(Box::new(payment.label()));
    }
    if query.without_photo {
        conditions.push("NOT EXISTS (SELECT 1 FROM photos p WHERE p.candidate_id = a.candidate_id)");
    }
    if let Some(pattern) = query.search.as_deref().and_then(search_pattern) {
        let digits = pattern.trim_matches('%');
        if digits.chars().all(|c| c.is_ascii_digit()) {
            // Digits are part of a 证件号码 or a phone number (stored as given: +852 9123 4567), never of a name.
            conditions.push(
                "(c.id_number LIKE ? ESCAPE '\\' OR REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(c.phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '') LIKE ? ESCAPE '\\')",
            );
            args.push(Box::new(pattern.clone()));
        } else if digits.chars().all(|c| c.is_ascii_digit() || c == 'X') {
            conditions.push("c.id_number LIKE ? ESCAPE '\\'");
        } else {
            conditions.push("(c.name LIKE ? ESCAPE '\\' OR c.id_number LIKE ? ESCAPE '\\')");
            args.push(Box::new(pattern.clone()));
        }
        args.push(Box::new(pattern));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    // Counting and choosing the page join only what the filter and the order name (every application has its
    // candidate and plan, and at most one seat, so the count is the same); the page's 50 rows get the rest. Page
    // 1,000 of 100,000 then walks an index instead of building 50,000 whole rows first.
    let with_candidate = query.search.is_some() || matches!(query.sort, SortKey::Name | SortKey::IdNumber);
    let with_seat = query.sort == SortKey::TicketNumber;
    let narrow = format!(
        "FROM applications a{}{}",
        if with_candidate { " JOIN candidates c ON c.id = a.candidate_id" } else { "" },
        if with_seat { " LEFT JOIN seats s ON s.application_id = a.id" } else { "" }
    );
    let total: i64 = conn.query_row(&format!("SELECT count(*) {narrow} {filter}"), &args[..], |r| r.get(0))?;

    let (page, page_size, offset) = super::page_window(query.page, query.page_size);
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = format!("ORDER BY {} {direction}, a.id {direction}", query.sort.column());
    let tail =
        format!("WHERE a.id IN (SELECT a.id {narrow} {filter} {order} LIMIT {page_size} OFFSET {offset}) {order}");
    let rows = select_rows(conn, &tail, &args[..])?;
    Ok(Page { total, page, page_size, rows })
}

/// The rows of these applications, in the order of `ids` (a review queue filtered by verdict).
pub fn rows_by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<ApplicationRow>> {
    let list = serde_json::to_string(ids).expect("ids serialise");
    let filter = match conn.engine() {
        Engine::Sqlite => "WHERE a.id IN (SELECT value FROM json_each(?1))",
        Engine::Postgres => "WHERE a.id IN (SELECT value::bigint FROM json_array_elements_text(CAST(?1 AS json)))",
    };
    let mut rows = select_rows(conn, filter, [list])?;
    let position: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.application.id).copied());
    Ok(rows)
}

const ROW_FROM: &str = "FROM applications a JOIN candidates c ON c.id = a.candidate_id \
                        JOIN plans pl ON pl.id = a.plan_id LEFT JOIN seats s ON s.application_id = a.id";

/// Application rows `tail` (a WHERE … ORDER BY … LIMIT) selects, with `params` bound.
fn select_rows(conn: &Connection, tail: &str, params: impl super::sql::Params) -> Result<Vec<ApplicationRow>> {
    let sql = format!(
        "SELECT a.id, a.plan_id, a.candidate_id, c.name, c.id_type, c.id_number, c.phone, a.status, a.payment, \
         a.reject_reason, a.created_at, a.updated_at, \
         pl.occupation || '/' || coalesce(pl.job, '--') || ' ' || pl.level, \
         EXISTS (SELECT 1 FROM photos p WHERE p.candidate_id = a.candidate_id), s.ticket_number \
         {ROW_FROM} {tail}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params, |r| {
            Ok(ApplicationRow {
                application: from_row(r)?,
                plan_title: r.get(12)?,
                has_photo: r.get(13)?,
                ticket_number: r.get(14)?,
            })
        })?
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

/// `%text%` for LIKE with the wildcards in the text escaped, as typed in a search box: trimmed, half-width, an
/// upper-case X (IDs are stored that way). None for an empty box.
fn search_pattern(text: &str) -> Option<String> {
    let text = to_half_width(text).trim().to_string();
    if text.is_empty() {
        return None;
    }
    // A phone number as people write it (+852 9123-4567, (0755) 8321 0000): its digits.
    let phone_like = text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
    let text = if phone_like { text.chars().filter(char::is_ascii_digit).collect() } else { text };
    let text = if text.chars().all(|c| c.is_ascii_alphanumeric()) { text.to_ascii_uppercase() } else { text };
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Some(format!("%{escaped}%"))
}
