//! The `plans` table.

use super::sql::{Connection, Engine, OptionalExtension, Row, ToSql, params};
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::eligibility::RuleSet;
use crate::domain::level::Level;
use crate::domain::plan::{Registration, ValidPlan};
use crate::error::{Error, Result};

/// A stored 认定计划.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Plan {
    pub id: i64,
    pub occupation: String,
    /// 职业编码 (国家职业分类大典), e.g. 6-31-01-03.
    pub occupation_code: Option<String>,
    /// None: no 工种 ("--").
    pub job: Option<String>,
    pub level: Level,
    pub reg_start: NaiveDate,
    pub reg_end: NaiveDate,
    pub exam_date: NaiveDate,
    pub code: String,
    pub plan_no: String,
    /// 报考条件 as the notice shows it; generated from `eligibility` when the plan has rules.
    pub conditions: String,
    /// The checkable form of the 报考条件, when the operator set one.
    pub eligibility: Option<RuleSet>,
    pub notice: String,
    pub publisher: String,
    pub announced_on: NaiveDate,
    pub capacity: Option<u32>,
    pub fee_fen: i64,
    pub closed: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Plan {
    /// "电工/--", as the seed's plan table writes 职业(工种/职业方向).
    pub fn title(&self) -> String {
        format!("{}/{}", self.occupation, self.job.as_deref().unwrap_or("--"))
    }

    /// "电工" or "焊工（手工电弧焊）", as printed documents name the occupation.
    pub fn occupation_printed(&self) -> String {
        match &self.job {
            Some(job) => format!("{}（{job}）", self.occupation),
            None => self.occupation.clone(),
        }
    }

    pub fn registration(&self, today: NaiveDate) -> Registration {
        Registration::on(self.reg_start, self.reg_end, self.closed, today)
    }
}

const COLUMNS: &str = "id, occupation, job, level, reg_start, reg_end, exam_date, code, plan_no, conditions, notice, \
                       publisher, announced_on, capacity, fee_fen, closed, created_at, updated_at, eligibility, \
                       occupation_code";

fn from_row(r: &Row<'_>) -> crate::error::Result<Plan> {
    let level: String = r.get(3)?;
    Ok(Plan {
        id: r.get(0)?,
        occupation: r.get(1)?,
        job: r.get(2)?,
        level: Level::parse(&level).map_err(|e| text_error(3, e))?,
        reg_start: r.get(4)?,
        reg_end: r.get(5)?,
        exam_date: r.get(6)?,
        code: r.get(7)?,
        plan_no: r.get(8)?,
        conditions: r.get(9)?,
        notice: r.get(10)?,
        publisher: r.get(11)?,
        announced_on: r.get(12)?,
        capacity: r.get(13)?,
        fee_fen: r.get(14)?,
        closed: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        eligibility: r.get::<Option<String>>(18)?.map(|json| rules_from_json(18, &json)).transpose()?,
        occupation_code: r.get(19)?,
    })
}

fn rules_from_json(column: usize, json: &str) -> crate::error::Result<RuleSet> {
    serde_json::from_str(json).map_err(|e| Error::Data(format!("第 {} 列的报考条件规则：{e}", column + 1)))
}

/// A rule set as stored.
pub(crate) fn rules_to_json(rules: Option<&RuleSet>) -> Option<String> {
    rules.map(|r| serde_json::to_string(r).expect("rule sets always serialise"))
}

/// A stored label that no longer parses means the database was edited by hand: surface it as a conversion error.
pub(crate) fn text_error(column: usize, e: Error) -> Error {
    Error::Data(format!("第 {} 列：{e}", column + 1))
}

/// Inserts a plan whose code and plan number are already decided; returns its id.
pub fn insert(conn: &Connection, plan: &ValidPlan, code: &str, plan_no: &str, now: &str) -> Result<i64> {
    const INSERT: &str = "INSERT INTO plans (occupation, job, level, reg_start, reg_end, exam_date, code, plan_no,
            conditions, notice, publisher, announced_on, capacity, fee_fen, updated_at, occupation_code, closed, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, ?15) RETURNING id";
    write(conn, INSERT, None, plan, code, plan_no, now)
}

/// Rewrites a plan's fields (the operation decides what may change).
pub fn update(conn: &Connection, id: i64, plan: &ValidPlan, code: &str, plan_no: &str, now: &str) -> Result<()> {
    const UPDATE: &str = "UPDATE plans SET occupation = ?1, job = ?2, level = ?3, reg_start = ?4, reg_end = ?5,
            exam_date = ?6, code = ?7, plan_no = ?8, conditions = ?9, notice = ?10, publisher = ?11,
            announced_on = ?12, capacity = ?13, fee_fen = ?14, updated_at = ?15, occupation_code = ?16
         WHERE id = ?17";
    write(conn, UPDATE, Some(id), plan, code, plan_no, now).map(|_| ())
}

/// The one parameter list of [`insert`] and [`update`]: the fields as ?1..?16, the id of an update as ?17; returns
/// the id (an insert's from RETURNING). The rule set is written only by [`set_eligibility`].
fn write(
    conn: &Connection,
    sql: &str,
    id: Option<i64>,
    plan: &ValidPlan,
    code: &str,
    plan_no: &str,
    now: &str,
) -> Result<i64> {
    let level = plan.level.label();
    let mut values: Vec<&dyn ToSql> = vec![
        &plan.occupation,
        &plan.job,
        &level,
        &plan.reg_start,
        &plan.reg_end,
        &plan.exam_date,
        &code,
        &plan_no,
        &plan.conditions,
        &plan.notice,
        &plan.publisher,
        &plan.announced_on,
        &plan.capacity,
        &plan.fee_fen,
        &now,
        &plan.occupation_code,
    ];
    let written = match &id {
        Some(id) => {
            values.push(id);
            conn.execute(sql, values).map(|_| *id)
        }
        None => conn.query_row(sql, values, |r| r.get(0)),
    };
    written.map_err(|e| {
        super::unique_violation(e, || format!("报名识别码 {code} 或计划号 {plan_no} 已被其他计划使用，请换一个"))
    })
}

/// Sets a plan's rule set and the 报考条件 text that goes with it.
pub fn set_eligibility(conn: &Connection, id: i64, rules: Option<&RuleSet>, conditions: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE plans SET eligibility = ?1, conditions = ?2, updated_at = ?3 WHERE id = ?4",
        params![rules_to_json(rules), conditions, now, id],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Plan> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM plans WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的认定计划")))
}

/// Newest exam first, as operators look for the coming exams.
pub fn list(conn: &Connection) -> Result<Vec<Plan>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM plans ORDER BY exam_date DESC, id DESC"))?;
    let rows = stmt.query_map((), from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The plan with this 报名识别码.
pub fn find_by_code(conn: &Connection, code: &str) -> Result<Option<Plan>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM plans WHERE code = ?1"))?.query_row([code], from_row).optional()
}

/// The 报名识别码 of another plan that has this 计划号.
pub fn code_with_plan_no(conn: &Connection, plan_no: &str, except_code: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT code FROM plans WHERE plan_no = ?1 AND code <> ?2")?
        .query_row(params![plan_no, except_code], |r| r.get(0))
        .optional()
}

/// Writes a plan as the agency's sync record has it, new or over the plan of the same 报名识别码; returns its id.
pub fn upsert_synced(conn: &Connection, record: &crate::sync::records::PlanRecord, now: &str) -> Result<i64> {
    conn.query_row(
        "INSERT INTO plans (code, plan_no, occupation, job, level, reg_start, reg_end, exam_date, conditions,
                            notice, publisher, announced_on, capacity, fee_fen, closed, created_at, updated_at,
                            eligibility, occupation_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?18)
         ON CONFLICT (code) DO UPDATE SET plan_no = excluded.plan_no, occupation = excluded.occupation,
             job = excluded.job, level = excluded.level, reg_start = excluded.reg_start,
             reg_end = excluded.reg_end, exam_date = excluded.exam_date, conditions = excluded.conditions,
             notice = excluded.notice, publisher = excluded.publisher, announced_on = excluded.announced_on,
             capacity = excluded.capacity, fee_fen = excluded.fee_fen, closed = excluded.closed,
             updated_at = excluded.updated_at, eligibility = excluded.eligibility,
             occupation_code = excluded.occupation_code
         RETURNING id",
        params![
            record.code,
            record.plan_no,
            record.occupation,
            record.job,
            record.level.label(),
            record.reg_start,
            record.reg_end,
            record.exam_date,
            record.conditions,
            record.notice,
            record.publisher,
            record.announced_on,
            record.capacity,
            record.fee_fen,
            record.closed,
            now,
            rules_to_json(record.eligibility.as_ref()),
            record.occupation_code
        ],
        |r| r.get(0),
    )
}

pub fn code_exists(conn: &Connection, code: &str) -> Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM plans WHERE code = ?1)", [code], |r| r.get(0))
}

pub fn plan_no_exists(conn: &Connection, plan_no: &str) -> Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM plans WHERE plan_no = ?1)", [plan_no], |r| r.get(0))
}

/// One more than the largest numeric 计划号 so far (1 for the first plan).
pub fn next_plan_no(conn: &Connection) -> Result<String> {
    let sql = match conn.engine() {
        Engine::Sqlite => "SELECT max(CAST(plan_no AS INTEGER)) FROM plans WHERE plan_no NOT GLOB '*[^0-9]*'",
        Engine::Postgres => "SELECT max(CAST(plan_no AS BIGINT)) FROM plans WHERE plan_no ~ '^[0-9]{1,18}$'",
    };
    let max: Option<i64> = conn.query_row(sql, (), |r| r.get(0))?;
    Ok((max.unwrap_or(0) + 1).to_string())
}

pub fn set_closed(conn: &Connection, id: i64, closed: bool, now: &str) -> Result<()> {
    conn.execute("UPDATE plans SET closed = ?2, updated_at = ?3 WHERE id = ?1", params![id, closed, now])?;
    Ok(())
}
