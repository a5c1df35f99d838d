//! 操作日志: reading the audit trail.

use crate::error::Result;
use crate::store::audit::{self, AuditEntry, AuditQuery};
use crate::store::{Page, Store};

/// The whole trail, or one candidate's when `id_number` is given (normalised as typed numbers are).
pub fn list_audit(store: &Store, id_number: Option<&str>) -> Result<Vec<AuditEntry>> {
    let number = id_number.map(crate::domain::id_number::normalize_number);
    audit::list(store.conn(), number.as_deref())
}

/// One page of the 操作日志 screen, newest first.
pub fn search_audit(store: &Store, query: &AuditQuery) -> Result<Page<AuditEntry>> {
    let mut query = query.clone();
    query.id_number = query.id_number.as_deref().map(crate::domain::id_number::normalize_number);
    audit::search(store.conn(), &query)
}

/// The actions recorded so far (the filter's choices).
pub fn audit_actions(store: &Store) -> Result<Vec<String>> {
    audit::actions(store.conn())
}
