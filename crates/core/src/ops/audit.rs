//! 操作日志: reading the audit trail.

use crate::error::Result;
use crate::store::Store;
use crate::store::audit::{self, AuditEntry};

/// The whole trail, or one candidate's when `id_number` is given (normalised as typed numbers are).
pub fn list_audit(store: &Store, id_number: Option<&str>) -> Result<Vec<AuditEntry>> {
    let number = id_number.map(crate::domain::id_number::normalize_number);
    audit::list(store.conn(), number.as_deref())
}
