//! Candidate portal accounts: list (with default passwords still in force), reset to the default.

use super::Session;
use super::candidates::find_candidate;
use crate::domain::operator::Permission;
use crate::error::Result;
use crate::store::accounts::{self, Account};
use crate::store::{Store, audit, plans};

/// The accounts of a plan's applicants, or of every candidate.
pub fn list_accounts(store: &Store, plan_id: Option<i64>) -> Result<Vec<Account>> {
    match plan_id {
        Some(id) => {
            plans::get(store.conn(), id)?;
            accounts::list_for_plan(store.conn(), id)
        }
        None => accounts::list(store.conn()),
    }
}

/// Returns a candidate's account to the default password (last six characters of the 证件号码), to be changed at
/// the next login.
pub fn reset_account(store: &mut Store, session: &Session, id_number: &str) -> Result<Account> {
    session.require(Permission::ManageCandidates)?;
    let now = session.now();
    let id = store.write(|tx| {
        let candidate = find_candidate(tx, id_number, None)?;
        if !accounts::reset_to_default(tx, candidate.id)? {
            return Ok(candidate.id);
        }
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "account",
                entity_id: candidate.id,
                action: "重置密码",
                to_value: Some("默认密码（证件号码后六位）"),
                id_number: Some(&candidate.profile.id_number),
                ..Default::default()
            },
            &now,
        )?;
        Ok(candidate.id)
    })?;
    accounts::get(store.conn(), id)?.ok_or_else(|| crate::Error::NotFound(format!("没有编号为 {id} 的考生账号")))
}
