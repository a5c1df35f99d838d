//! The portal's own side of the data: the agencies it serves (tenants, each with sync tokens) and candidates' web
//! sessions. What a candidate does once signed in is `ops::self_service`; what an agency's desktop sends and takes
//! is [`pull`] and [`push`], both scoped to the agency whose token came with the request (docs/sync-protocol.md,
//! "Agencies on one portal").

use chrono::{Duration, Utc};
use serde::Serialize;

use super::Session;
use crate::error::{Error, Result};
use crate::store::{Store, portal};
use crate::sync::{self, ApplyReport, Batch, Scope, Side};

/// How long a candidate's session lasts without a new sign-in.
pub const SESSION_HOURS: i64 = 12;

/// An agency served by this portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub id: i64,
    pub name: String,
}

/// A new random token: 32 bytes as 64 hex characters (sessions, sync tokens, and the portal's form tokens).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

/// What is stored for a token (the token itself never is).
pub(crate) fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adds the agency `name` (or finds it: a second token for the same name is another PC of that agency) and creates
/// a sync token for it; returns the token, which is shown once (only its hash is kept). Audited.
pub fn add_agency_token(store: &mut Store, session: &Session, name: &str) -> Result<(Agency, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("机构名称", "不能为空，最多 100 个字"));
    }
    let token = random_token();
    let now = Utc::now().to_rfc3339();
    let agency = store.write(|tx| {
        let agency = portal::agency_for_name(tx, name, &now)?;
        portal::add_token(tx, agency.id, name, &token_hash(&token), &now)?;
        crate::store::audit::append(
            tx,
            &crate::store::audit::NewAuditEntry {
                actor: &session.operator,
                entity: "agency",
                entity_id: agency.id,
                action: "添加机构令牌",
                to_value: Some(&agency.name),
                ..Default::default()
            },
            &now,
        )?;
        Ok(agency)
    })?;
    Ok((agency, token))
}

/// The agency a sync token belongs to; an unknown token is [`Error::Unauthorized`].
fn agency_of(store: &Store, token: &str) -> Result<Agency> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::Unauthorized);
    }
    portal::agency_of_token(store.conn(), &token_hash(token))?.ok_or(Error::Unauthorized)
}

/// The portal's changes after `since` that the token's agency may see: its own plans' applications, and the
/// candidates (with their photos) who applied to one of them.
pub fn pull(store: &Store, token: &str, since: i64, limit: usize) -> Result<Batch> {
    let agency = agency_of(store, token)?;
    sync::collect(store, Side::Portal, Scope::Agency(agency.id), since, limit)
}

/// Applies the token's agency's batch to its own plans only; everything aimed at another agency's plan, or at a
/// candidate who has not applied to this agency, is reported in `ignored` and changes nothing.
pub fn push(store: &mut Store, token: &str, batch: &Batch) -> Result<ApplyReport> {
    let agency = agency_of(store, token)?;
    let session = Session::new(format!("机构同步:{}", agency.name));
    sync::apply(store, &session, Side::Agency, Scope::Agency(agency.id), batch)
}

/// Whether the portal holds any plan yet (the demo seed fills only an empty portal).
pub fn has_plans(store: &Store) -> Result<bool> {
    portal::has_plans(store.conn())
}

/// A candidate's new web session: the cookie value and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub cookie: String,
    pub csrf: String,
}

pub(crate) fn create_web_session(conn: &crate::store::sql::Connection, candidate_id: i64) -> Result<WebSession> {
    let session = WebSession { cookie: random_token(), csrf: random_token() };
    let now = Utc::now();
    portal::insert_session(
        conn,
        &token_hash(&session.cookie),
        candidate_id,
        &session.csrf,
        &now.to_rfc3339(),
        &(now + Duration::hours(SESSION_HOURS)).to_rfc3339(),
    )?;
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
