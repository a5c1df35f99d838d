//! The portal's own rows in the shared schema: agency tokens and candidates' sessions. Everything else goes through
//! skillcert-core's operations.

use chrono::{Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use skillcert_core::Result;

use crate::security::{random_token, token_hash};

/// How long a session lasts without a new login.
const SESSION_HOURS: i64 = 12;

/// Creates a token for an agency's desktop; returns it (shown once, only its hash is kept).
pub fn add_agency_token(conn: &Connection, name: &str) -> Result<String> {
    let token = random_token();
    conn.execute(
        "INSERT INTO agency_tokens (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
        params![name, token_hash(&token), Utc::now().to_rfc3339()],
    )?;
    Ok(token)
}

/// The agency a sync token belongs to, if it is one.
pub fn agency_of_token(conn: &Connection, token: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM agency_tokens WHERE token_hash = ?1", [token_hash(token)], |r| r.get(0))
        .optional()?)
}

/// A signed-in candidate's session: the cookie value and the CSRF token its forms carry.
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

pub fn create_session(conn: &Connection, candidate_id: i64) -> Result<NewSession> {
    let cookie = random_token();
    let csrf = random_token();
    let now = Utc::now();
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [now.to_rfc3339()])?;
    conn.execute(
        "INSERT INTO sessions (token_hash, candidate_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash(&cookie),
            candidate_id,
            csrf,
            now.to_rfc3339(),
            (now + Duration::hours(SESSION_HOURS)).to_rfc3339()
        ],
    )?;
    Ok(NewSession { cookie, csrf })
}

/// The candidate and CSRF token of a live session.
pub fn session(conn: &Connection, cookie: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT candidate_id, csrf FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
            params![token_hash(cookie), Utc::now().to_rfc3339()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn end_session(conn: &Connection, cookie: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash(cookie)])?;
    Ok(())
}

/// Ends every session of a candidate (after a password change, other devices are signed out).
pub fn end_sessions_of(conn: &Connection, candidate_id: i64) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE candidate_id = ?1", [candidate_id])?;
    Ok(())
}
