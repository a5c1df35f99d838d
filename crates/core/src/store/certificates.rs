//! The `certificates` table: issued 职业技能等级证书, with what they say fixed at issue (never deleted); a certificate is
//! revoked (已作废) or replaced by a reissue (补发), a new record that points to it.

use super::sql::{Connection, Row, params};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Certificate {
    pub id: i64,
    /// 证书编号, 22 characters.
    pub number: String,
    pub application_id: i64,
    pub plan_id: i64,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub occupation: String,
    pub job: Option<String>,
    pub level: String,
    /// 发证日期.
    pub issued_on: NaiveDate,
    /// 评价机构名称.
    pub agency_name: String,
    pub state: CertificateState,
    /// When, why and by whom it was revoked.
    pub revoked_on: Option<NaiveDate>,
    pub revoked_reason: Option<String>,
    pub revoked_by: Option<String>,
    /// The certificate this one was reissued for (补发), by id.
    pub replaces_id: Option<i64>,
    /// 印制流水码 of the paper, when recorded.
    pub print_serial: Option<String>,
}

impl Certificate {
    /// What an audit row of this certificate names: (id, 证书编号, 证件号码, plan id).
    pub(crate) fn audited(&self) -> (i64, &str, &str, i64) {
        (self.id, &self.number, &self.id_number, self.plan_id)
    }
}

/// 证书状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum CertificateState {
    #[serde(rename = "有效")]
    Valid,
    #[serde(rename = "已作废")]
    Revoked,
}

impl CertificateState {
    pub fn label(self) -> &'static str {
        match self {
            CertificateState::Valid => "有效",
            CertificateState::Revoked => "已作废",
        }
    }

    fn parse(text: &str) -> Result<CertificateState> {
        match text {
            "有效" => Ok(CertificateState::Valid),
            "已作废" => Ok(CertificateState::Revoked),
            other => Err(crate::error::Error::Data(format!("证书状态“{other}”无法识别"))),
        }
    }
}

pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub application_id: i64,
    pub plan_id: i64,
    pub name: &'a str,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub occupation: &'a str,
    pub job: Option<&'a str>,
    pub level: &'a str,
    pub issued_on: NaiveDate,
    pub agency_name: &'a str,
    pub replaces_id: Option<i64>,
    pub print_serial: Option<&'a str>,
}

pub fn insert(conn: &Connection, c: &NewCertificate<'_>, now: &str) -> Result<i64> {
    conn.query_row(
        "INSERT INTO certificates (number, application_id, plan_id, name, id_type, id_number, occupation, job, level,
                                   issued_on, agency_name, created_at, replaces_id, print_serial)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
        params![
            c.number,
            c.application_id,
            c.plan_id,
            c.name,
            c.id_type,
            c.id_number,
            c.occupation,
            c.job,
            c.level,
            c.issued_on,
            c.agency_name,
            now,
            c.replaces_id,
            c.print_serial
        ],
        |r| r.get(0),
    )
}

/// The columns [`from_row`] reads, in its order.
const COLUMNS: &str = "id, number, application_id, plan_id, name, id_type, id_number, occupation, job, level, issued_on, \
                       agency_name, state, revoked_on, revoked_reason, revoked_by, replaces_id, print_serial";

fn from_row(r: &Row<'_>) -> crate::error::Result<Certificate> {
    Ok(Certificate {
        id: r.get(0)?,
        number: r.get(1)?,
        application_id: r.get(2)?,
        plan_id: r.get(3)?,
        name: r.get(4)?,
        id_type: r.get(5)?,
        id_number: r.get(6)?,
        occupation: r.get(7)?,
        job: r.get(8)?,
        level: r.get(9)?,
        issued_on: r.get(10)?,
        agency_name: r.get(11)?,
        state: CertificateState::parse(&r.get::<String>(12)?)?,
        revoked_on: r.get(13)?,
        revoked_reason: r.get(14)?,
        revoked_by: r.get(15)?,
        replaces_id: r.get(16)?,
        print_serial: r.get(17)?,
    })
}

/// Revokes a valid certificate (it stays, 已作废, with when, why and who).
pub fn revoke(conn: &Connection, id: i64, on: NaiveDate, reason: &str, by: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE certificates SET state = '已作废', revoked_on = ?2, revoked_reason = ?3, revoked_by = ?4
         WHERE id = ?1 AND state = '有效'",
    )?
    .execute(params![id, on, reason, by])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Certificate>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM certificates WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// The newest certificate issued for an application (valid, or revoked when it has no valid one), if any.
pub fn for_application(conn: &Connection, application_id: i64) -> Result<Option<Certificate>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE application_id = ?1 ORDER BY state = '有效' DESC, id DESC LIMIT 1"
    ))?
    .query_row([application_id], from_row)
    .optional()
}

/// The certificate of this 证书编号: the valid one, else the newest revoked one (a number kept by a reissue has
/// both).
pub fn find_by_number(conn: &Connection, number: &str) -> Result<Option<Certificate>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE number = ?1 ORDER BY state = '有效' DESC, id DESC LIMIT 1"
    ))?
    .query_row([number], from_row)
    .optional()
}

/// The certificate of this number and 印制流水码 (what a synced record is known by).
pub fn find(conn: &Connection, number: &str, print_serial: Option<&str>) -> Result<Option<Certificate>> {
    use super::sql::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE number = ?1 AND print_serial IS NOT DISTINCT FROM CAST(?2 AS TEXT)
         ORDER BY id DESC LIMIT 1"
    ))?
    .query_row(params![number, print_serial], from_row)
    .optional()
}

/// Certificates of a plan and/or a person, in issue order.
pub fn list(conn: &Connection, plan_id: Option<i64>, id_number: Option<&str>) -> Result<Vec<Certificate>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates
         WHERE (CAST(?1 AS BIGINT) IS NULL OR plan_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR id_number = ?2) ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![plan_id, id_number], from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}
