//! The portal's own tables: `agencies` (the tenants), `agency_tokens` (hashed sync tokens) and `sessions`
//! (candidates' web sessions, hashed cookies). A desktop database has these tables too, empty.

use super::sql::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::ops::portal::Agency;

/// The agency of this name, added when new.
pub fn agency_for_name(conn: &Connection, name: &str, now: &str) -> Result<Agency> {
    conn.execute(
        "INSERT INTO agencies (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, now],
    )?;
    conn.query_row("SELECT id, name FROM agencies WHERE name = ?1", [name], |r| {
        Ok(Agency { id: r.get(0)?, name: r.get(1)? })
    })
}

pub fn add_token(conn: &Connection, agency_id: i64, name: &str, token_hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO agency_tokens (name, token_hash, created_at, agency_id) VALUES (?1, ?2, ?3, ?4)",
        params![name, token_hash, now, agency_id],
    )?;
    Ok(())
}

pub fn agency_of_token(conn: &Connection, token_hash: &str) -> Result<Option<Agency>> {
    conn.prepare_cached(
        "SELECT a.id, a.name FROM agency_tokens t JOIN agencies a ON a.id = t.agency_id WHERE t.token_hash = ?1",
    )?
    .query_row([token_hash], |r| Ok(Agency { id: r.get(0)?, name: r.get(1)? }))
    .optional()
}

pub fn has_plans(conn: &Connection) -> Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM plans)", (), |r| r.get(0))
}

/// Who owns the plan with this 报名识别码 on the portal: None when there is no such plan; Some(None) for a plan no
/// agency owns (the demo's, or one from before agencies were told apart on a portal of several).
pub fn plan_owner(conn: &Connection, code: &str) -> Result<Option<(i64, Option<i64>)>> {
    conn.prepare_cached("SELECT id, agency_id FROM plans WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn set_plan_owner(conn: &Connection, plan_id: i64, agency_id: i64) -> Result<()> {
    conn.execute("UPDATE plans SET agency_id = ?2 WHERE id = ?1", params![plan_id, agency_id])?;
    Ok(())
}

/// Whether the candidate has an application to one of the agency's plans.
pub fn applied_to_agency(conn: &Connection, candidate_id: i64, agency_id: i64) -> Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM applications ap JOIN plans p ON p.id = ap.plan_id
                            WHERE ap.candidate_id = ?1 AND p.agency_id = ?2)",
    )?
    .query_row(params![candidate_id, agency_id], |r| r.get(0))
}

/// The agency owning the plan of an application (None: no owner).
pub fn agency_of_application(conn: &Connection, application_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT p.agency_id FROM applications ap JOIN plans p ON p.id = ap.plan_id WHERE ap.id = ?1")?
        .query_row([application_id], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn insert_session(
    conn: &Connection,
    token_hash: &str,
    candidate_id: i64,
    csrf: &str,
    now: &str,
    expires_at: &str,
) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [now])?;
    conn.execute(
        "INSERT INTO sessions (token_hash, candidate_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, candidate_id, csrf, now, expires_at],
    )?;
    Ok(())
}

/// The candidate and CSRF token of a live session.
pub fn session(conn: &Connection, token_hash: &str, now: &str) -> Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT candidate_id, csrf FROM sessions WHERE token_hash = ?1 AND expires_at > ?2")?
        .query_row(params![token_hash, now], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn end_session(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of a candidate but `keep` (after a password change, other devices are signed out).
pub fn end_other_sessions(conn: &Connection, candidate_id: i64, keep: Option<&str>) -> Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE candidate_id = ?1 AND token_hash IS DISTINCT FROM ?2",
        params![candidate_id, keep],
    )
}

/// Failed sign-ins of this account and from this address since `since`: (account's, address's, the oldest of each).
pub fn failures_since(conn: &Connection, account: &str, address: &str, since: &str) -> Result<FailureCounts> {
    let count = |column: &str, value: &str| -> Result<(i64, Option<String>)> {
        conn.prepare_cached(&format!("SELECT count(*), min(at) FROM sign_in_failures WHERE {column} = ?1 AND at > ?2"))?
            .query_row(params![value, since], |r| Ok((r.get(0)?, r.get(1)?)))
    };
    Ok(FailureCounts { account: count("account", account)?, address: count("address", address)? })
}

/// (how many, the oldest) per account and per address.
pub struct FailureCounts {
    pub account: (i64, Option<String>),
    pub address: (i64, Option<String>),
}

/// Records a failed sign-in, and forgets those older than `forget_before`.
pub fn add_failure(conn: &Connection, account: &str, address: &str, at: &str, forget_before: &str) -> Result<()> {
    conn.execute("DELETE FROM sign_in_failures WHERE at < ?1", [forget_before])?;
    conn.execute(
        "INSERT INTO sign_in_failures (account, address, at) VALUES (?1, ?2, ?3)",
        params![account, address, at],
    )?;
    Ok(())
}

/// Forgets an account's failures (it signed in).
pub fn clear_failures(conn: &Connection, account: &str) -> Result<()> {
    conn.execute("DELETE FROM sign_in_failures WHERE account = ?1", [account])?;
    Ok(())
}
