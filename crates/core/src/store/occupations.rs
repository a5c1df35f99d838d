//! The `occupations` table: the 职业目录 entries an agency imported (the bundled list is not stored).

use super::sql::{Connection, OptionalExtension, params};
use crate::domain::occupation::Occupation;
use crate::error::Result;

pub fn list(conn: &Connection) -> Result<Vec<Occupation>> {
    conn.prepare_cached("SELECT code, name FROM occupations ORDER BY code")?
        .query_map((), |r| Ok(Occupation { code: r.get(0)?, name: r.get(1)?, imported: true }))?
        .collect()
}

/// Stores an entry; the name it had before, if it was there.
pub fn put(conn: &Connection, code: &str, name: &str, now: &str) -> Result<Option<String>> {
    let before: Option<String> = conn
        .prepare_cached("SELECT name FROM occupations WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?;
    conn.prepare_cached(
        "INSERT INTO occupations (code, name, imported_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, imported_at = excluded.imported_at",
    )?
    .execute(params![code, name, now])?;
    Ok(before)
}
