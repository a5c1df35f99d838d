//! The `operators` table: the agency's staff who sign in to the app (passwords as argon2id hashes).

use super::sql::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use ts_rs::TS;

use super::plans::text_error;
use crate::domain::operator::Role;
use crate::error::Result;

/// An operator as lists show them (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Operator {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, login, name, role, active, created_at, updated_at, password_hash";

fn from_row(r: &Row<'_>) -> crate::error::Result<(Operator, String)> {
    let role: String = r.get(3)?;
    Ok((
        Operator {
            id: r.get(0)?,
            login: r.get(1)?,
            name: r.get(2)?,
            role: Role::parse(&role).map_err(|e| text_error(3, e))?,
            active: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        },
        r.get(7)?,
    ))
}

pub fn insert(conn: &Connection, login: &str, name: &str, role: Role, password_hash: &str, now: &str) -> Result<i64> {
    conn.query_row(
        "INSERT INTO operators (login, name, role, password_hash, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) RETURNING id",
        params![login, name, role.label(), password_hash, now],
        |r| r.get(0),
    )
    .map_err(|e| super::unique_violation(e, || format!("登录名“{login}”已被使用，请换一个")))
}

/// The operator with this login and their password hash.
pub fn find(conn: &Connection, login: &str) -> Result<Option<(Operator, String)>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM operators WHERE login = ?1"), [login], from_row).optional()
}

pub fn list(conn: &Connection) -> Result<Vec<Operator>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM operators ORDER BY id"))?;
    let rows = stmt.query_map((), |r| from_row(r).map(|(o, _)| o))?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM operators", (), |r| r.get(0))
}

/// Active administrators: there must always be one.
pub fn active_admins(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM operators WHERE active = 1 AND role = ?1", [Role::Admin.label()], |r| r.get(0))
}

pub fn set_role_and_active(conn: &Connection, id: i64, role: Role, active: bool, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE operators SET role = ?1, active = ?2, updated_at = ?3 WHERE id = ?4",
        params![role.label(), active, now, id],
    )?;
    Ok(())
}

pub fn set_password_hash(conn: &Connection, id: i64, password_hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE operators SET password_hash = ?1, updated_at = ?2 WHERE id = ?3",
        params![password_hash, now, id],
    )?;
    Ok(())
}
