//! The `candidates` table.

use super::sql::{Connection, OptionalExtension, Row, ToSql, params};
use serde::Serialize;
use ts_rs::TS;

use super::plans::text_error;
use crate::domain::candidate::Profile;
use crate::domain::id_number::{IdType, Sex};
use crate::error::{Error, Result};

/// A stored 考生: the validated profile of the 个人申请表 and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Candidate {
    pub id: i64,
    #[serde(flatten)]
    pub profile: Profile,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, id_type, id_number, name, sex, birth_date, phone, ethnicity, education, employer, address, \
                       years_in_occupation, source, prior_cert_name, prior_cert_level, prior_cert_number, \
                       prior_cert_date, created_at, updated_at, major, school, graduated_on, work_started_on, title";

fn from_row(r: &Row<'_>) -> crate::error::Result<Candidate> {
    let id_type: String = r.get(1)?;
    let sex: Option<String> = r.get(4)?;
    Ok(Candidate {
        id: r.get(0)?,
        profile: Profile {
            id_type: IdType::parse(&id_type).map_err(|e| text_error(1, e))?,
            id_number: r.get(2)?,
            name: r.get(3)?,
            sex: sex.map(|s| Sex::parse(&s)).transpose().map_err(|e| text_error(4, e))?,
            birth_date: r.get(5)?,
            phone: r.get(6)?,
            ethnicity: r.get(7)?,
            education: r.get(8)?,
            employer: r.get(9)?,
            address: r.get(10)?,
            years_in_occupation: r.get(11)?,
            source: r.get(12)?,
            prior_cert_name: r.get(13)?,
            prior_cert_level: r.get(14)?,
            prior_cert_number: r.get(15)?,
            prior_cert_date: r.get(16)?,
            major: r.get(19)?,
            school: r.get(20)?,
            graduated_on: r.get(21)?,
            work_started_on: r.get(22)?,
            title: r.get(23)?,
        },
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
    })
}

/// Profile columns bind as ?1–?16 and ?18–?22 in this order and the time as ?17, for both statements below.
const INSERT: &str = "INSERT INTO candidates (id_type, id_number, name, sex, birth_date, phone, ethnicity, education,
        employer, address, years_in_occupation, source, prior_cert_name, prior_cert_level, prior_cert_number,
        prior_cert_date, created_at, updated_at, major, school, graduated_on, work_started_on, title)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?18, ?19, ?20, ?21, ?22)
    RETURNING id";

/// The 证件 (?1, ?2) is the key and never changes.
const UPDATE: &str = "UPDATE candidates SET name = ?3, sex = ?4, birth_date = ?5, phone = ?6, ethnicity = ?7,
        education = ?8, employer = ?9, address = ?10, years_in_occupation = ?11, source = ?12, prior_cert_name = ?13,
        prior_cert_level = ?14, prior_cert_number = ?15, prior_cert_date = ?16, updated_at = ?17, major = ?18,
        school = ?19, graduated_on = ?20, work_started_on = ?21, title = ?22
    WHERE id_type = ?1 AND id_number = ?2";

/// A profile as [`INSERT`]'s and [`UPDATE`]'s parameters ?1–?22 (the time is ?17), with the values stored in
/// another form than the profile holds (labels, dates as text) kept here for the parameters to borrow.
struct ProfileParams<'a> {
    c: &'a Profile,
    now: &'a str,
    id_type: &'static str,
    sex: Option<&'static str>,
    /// Birth, prior certificate, graduation, work start.
    dates: [Option<String>; 4],
}

impl<'a> ProfileParams<'a> {
    fn new(c: &'a Profile, now: &'a str) -> Self {
        let dates = [c.birth_date, c.prior_cert_date, c.graduated_on, c.work_started_on].map(|d| d.map(iso_date));
        ProfileParams { c, now, id_type: c.id_type.label(), sex: c.sex.map(Sex::label), dates }
    }

    fn list(&self) -> [&dyn ToSql; 22] {
        let c = self.c;
        [
            &self.id_type,
            &c.id_number,
            &c.name,
            &self.sex,
            &self.dates[0],
            &c.phone,
            &c.ethnicity,
            &c.education,
            &c.employer,
            &c.address,
            &c.years_in_occupation,
            &c.source,
            &c.prior_cert_name,
            &c.prior_cert_level,
            &c.prior_cert_number,
            &self.dates[1],
            &self.now,
            &c.major,
            &c.school,
            &self.dates[2],
            &self.dates[3],
            &c.title,
        ]
    }
}

/// Runs INSERT (returns the new id) or UPDATE (returns how many rows it changed).
fn write_profile(conn: &Connection, sql: &str, c: &Profile, now: &str) -> Result<i64> {
    let params = ProfileParams::new(c, now);
    let values = params.list();
    let mut statement = conn.prepare_cached(sql)?;
    if sql.starts_with("INSERT") {
        statement.query_row(values, |r| r.get(0))
    } else {
        statement.execute(values).map(|n| n as i64)
    }
}

/// YYYY-MM-DD, as rusqlite's chrono support stores dates, without its general formatter (an import writes 100,000).
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn insert(conn: &Connection, c: &Profile, now: &str) -> Result<i64> {
    if conn.defers_new_rows() {
        return insert_deferred(conn, c, now);
    }
    let id = write_profile(conn, INSERT, c, now)
        .map_err(|e| super::unique_violation(e, || format!("{} {} 的考生已存在", c.id_type.label(), c.id_number)))?;
    super::changes::log(conn, "candidates", id)?;
    Ok(id)
}

/// A bulk import's new candidate on a server: its id taken ahead, the row sent with the next ones (the import
/// checked its 证件 is new). Logged for the sync like any insert.
fn insert_deferred(conn: &Connection, c: &Profile, now: &str) -> Result<i64> {
    let id = conn.next_id("candidates", "id")?;
    let params = ProfileParams::new(c, now);
    // The id, INSERT's parameters in their order (?17, the time, as updated_at), then created_at.
    let mut values: Vec<&dyn ToSql> = vec![&id];
    values.extend(params.list());
    values.push(&now);
    conn.insert_deferred(
        "candidates",
        "id, id_type, id_number, name, sex, birth_date, phone, ethnicity, education, employer, address,
         years_in_occupation, source, prior_cert_name, prior_cert_level, prior_cert_number, prior_cert_date,
         updated_at, major, school, graduated_on, work_started_on, title, created_at",
        &values,
    )?;
    super::changes::log(conn, "candidates", id)?;
    Ok(id)
}

/// Replaces the profile of the candidate with this 证件.
pub fn update_profile(conn: &Connection, c: &Profile, now: &str) -> Result<()> {
    write_profile(conn, UPDATE, c, now)?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Candidate> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM candidates WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的考生")))
}

pub fn find(conn: &Connection, id_type: IdType, id_number: &str) -> Result<Option<Candidate>> {
    // Cached: an import calls this once per row.
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM candidates WHERE id_type = ?1 AND id_number = ?2"))?
        .query_row(params![id_type.label(), id_number], from_row)
        .optional()
}

/// Every candidate with this number, whatever the 证件类型 (almost always zero or one).
pub fn find_by_number(conn: &Connection, id_number: &str) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM candidates WHERE id_number = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([id_number], from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM candidates", (), |r| r.get(0))
}

pub fn list(conn: &Connection) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM candidates ORDER BY id"))?;
    let rows = stmt.query_map((), from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}
