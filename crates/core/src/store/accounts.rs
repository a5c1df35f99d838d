//! The `accounts` table: candidates' portal accounts.
//!
//! Every candidate has an account: login = 证件号码, default password = its last six characters (the seed's rule),
//! to be changed at first login. A hash of a value derivable from the login would protect nothing, so nothing is
//! stored for a default account: a row exists only once the candidate has chosen a password (an argon2 hash, set by
//! the portal). Resetting an account deletes that row.

use super::sql::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::Result;

/// An account as operators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub candidate_id: i64,
    pub name: String,
    /// The login: the candidate's 证件号码.
    pub login: String,
    /// The default password while the account still has it; None once the candidate chose their own.
    pub default_password: Option<String>,
    /// True while the default password is in force.
    pub must_change_password: bool,
}

/// The seed's default password: the last six characters of the 证件号码.
pub fn default_password(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    chars[chars.len().saturating_sub(6)..].iter().collect()
}

/// Records a password the candidate chose (an argon2 hash).
pub fn set_password_hash(conn: &Connection, candidate_id: i64, hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO accounts (candidate_id, password_hash, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (candidate_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at",
        params![candidate_id, hash, now],
    )?;
    Ok(())
}

/// The chosen password's hash; None while the default password is in force.
pub fn password_hash(conn: &Connection, candidate_id: i64) -> Result<Option<String>> {
    conn.query_row("SELECT password_hash FROM accounts WHERE candidate_id = ?1", [candidate_id], |r| r.get(0))
        .optional()
}

/// Returns an account to its default password; true if it had another one.
pub fn reset_to_default(conn: &Connection, candidate_id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM accounts WHERE candidate_id = ?1", [candidate_id])? > 0)
}

const SELECT: &str = "SELECT c.id, c.name, c.id_number, a.candidate_id IS NULL
    FROM candidates c LEFT JOIN accounts a ON a.candidate_id = c.id";

fn from_row(r: &super::sql::Row<'_>) -> crate::error::Result<Account> {
    let login: String = r.get(2)?;
    let is_default: bool = r.get(3)?;
    Ok(Account {
        candidate_id: r.get(0)?,
        name: r.get(1)?,
        default_password: is_default.then(|| default_password(&login)),
        login,
        must_change_password: is_default,
    })
}

pub fn get(conn: &Connection, candidate_id: i64) -> Result<Option<Account>> {
    conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [candidate_id], from_row).optional()
}

/// The accounts of a plan's applicants, in application order.
pub fn list_for_plan(conn: &Connection, plan_id: i64) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN applications ap ON ap.candidate_id = c.id WHERE ap.plan_id = ?1 ORDER BY ap.id"
    ))?;
    let rows = stmt.query_map([plan_id], from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY c.id"))?;
    let rows = stmt.query_map((), from_row)?.collect::<crate::error::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_password_is_the_last_six_characters() {
        assert_eq!(default_password("11010519491231002X"), "31002X");
        assert_eq!(default_password("E1234"), "E1234");
        assert_eq!(default_password("南字第123456号"), "23456号");
    }
}
