//! The `accounts` table: each candidate's portal account.
//!
//! Login = 证件号码; default password = its last six characters (the seed's rule). A default account stores no
//! hash (NULL) and must change its password at first login; a password the candidate chooses is stored as an
//! argon2 hash when it is set (portal issue).

use rusqlite::{Connection, params};
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
    pub must_change_password: bool,
    pub updated_at: String,
}

/// The seed's default password: the last six characters of the 证件号码.
pub fn default_password(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    chars[chars.len().saturating_sub(6)..].iter().collect()
}

/// Creates the default account of a new candidate.
pub fn create_default(conn: &Connection, candidate_id: i64, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO accounts (candidate_id, password_hash, must_change_password, created_at, updated_at)
         VALUES (?1, NULL, 1, ?2, ?2)",
    )?
    .execute(params![candidate_id, now])?;
    Ok(())
}

/// Returns an account to its default password; true if anything changed.
pub fn reset_to_default(conn: &Connection, candidate_id: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE accounts SET password_hash = NULL, must_change_password = 1, updated_at = ?2
         WHERE candidate_id = ?1 AND (password_hash IS NOT NULL OR must_change_password = 0)",
        params![candidate_id, now],
    )?;
    Ok(changed > 0)
}

const SELECT: &str = "SELECT c.id, c.name, c.id_number, a.password_hash IS NULL, a.must_change_password, a.updated_at
    FROM accounts a JOIN candidates c ON c.id = a.candidate_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let login: String = r.get(2)?;
    let is_default: bool = r.get(3)?;
    Ok(Account {
        candidate_id: r.get(0)?,
        name: r.get(1)?,
        default_password: is_default.then(|| default_password(&login)),
        login,
        must_change_password: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

pub fn get(conn: &Connection, candidate_id: i64) -> Result<Option<Account>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [candidate_id], from_row).optional()?)
}

/// The accounts of a plan's applicants, in application order.
pub fn list_for_plan(conn: &Connection, plan_id: i64) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN applications ap ON ap.candidate_id = c.id WHERE ap.plan_id = ?1 ORDER BY ap.id"
    ))?;
    let rows = stmt.query_map([plan_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY c.id"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
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
