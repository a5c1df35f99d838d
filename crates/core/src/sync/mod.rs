//! Sync with the candidate portal: what each side sends and how the other applies it (docs/sync-protocol.md).
//!
//! Both sides keep SkillCert's schema. Every insert or update of a synced table is logged in `changes` (triggers,
//! migration 6); a side sends the current state of what changed after the other side's cursor, as records keyed by
//! natural keys (报名识别码, 证件类型 + 证件号码, 证书编号), never by row ids. Applying a batch is one transaction that
//! logs nothing (so nothing echoes back) and is idempotent: the same batch twice changes nothing the second time.
//!
//! Who owns what: the agency owns plans, statuses, arrangements, scores and certificates; the candidate owns the
//! profile and photo only while none of their applications is 申请通过 or later, and owns new applications, the
//! resubmission of a refused one and online payments.

mod apply;
pub mod client;
mod collect;
pub mod keychain;
pub mod records;
#[cfg(test)]
mod tests;

pub use apply::ApplyReport;
pub(crate) use apply::apply;
pub(crate) use collect::collect;
pub use records::{Batch, Record};

/// The protocol version both sides must speak; a batch of another version is refused whole.
pub const PROTOCOL_VERSION: u32 = 1;

/// Records per batch: a large first sync goes in several rounds, each one committed with its cursor.
pub const BATCH_LIMIT: usize = 500;

/// Which side wrote a batch, which decides what it may carry and how it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The agency's desktop (skillcert-core's ops): plans, candidates, statuses, exams, scores, certificates.
    Agency,
    /// The candidate portal: self-registrations, profile edits, photos, applications, resubmissions, payments.
    Portal,
}

/// Whose data a side's batch may carry and change. A desktop holds one agency's data and sends and takes all of
/// it; a portal serves several agencies and scopes every batch to the one whose token came with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Everything,
    /// The portal's agency (`agencies.id`): its own plans, and candidates who applied to one of them.
    Agency(i64),
}

pub(crate) use crate::store::changes::{cursor, set_cursor};
