//! skillcert-core: SkillCert's domain rules, SQLite store and operator operations.
//!
//! - [`domain`]: types and rules (证件号码, levels, plans, statuses, certificate numbers); pure, no I/O.
//! - `store` (private): the SQLite database: opening, migrations, one module per table, all the SQL. Nothing outside
//!   this crate can name a table, a connection or a transaction: [`Store`] is an opaque handle that operations take.
//! - [`ops`]: one function per thing an operator or a candidate does; the CLI, the desktop app and the portal call
//!   only these (and import, print, export, backup, sync, encryption), and get [`rows`] back.

pub mod backup;
pub mod domain;
pub mod encryption;
pub mod error;
pub mod export;
pub mod import;
pub mod ops;
pub mod password;
pub mod print;
pub mod progress;
pub mod spreadsheet;
mod store;
pub mod sync;
#[cfg(test)]
mod testing;
#[cfg(any(test, feature = "sql-for-tests"))]
pub mod throwaway_postgres;

pub use error::{Error, ErrorCode, Result};
pub use store::{APPLICATION_ID, LATEST_VERSION, Location, MAX_PAGE_SIZE, Page, ServerAddress, Store, StorePool, Tls};

/// The row types operations return, as the store reads them.
pub mod rows {
    pub use crate::store::accounts::Account;
    pub use crate::store::applications::{Application, ApplicationQuery, ApplicationRow, SortKey};
    pub use crate::store::arrangements::{Arrangement, PartRooms, RoomSeat, Seat};
    pub use crate::store::audit::{AuditEntry, AuditQuery};
    pub use crate::store::candidates::Candidate;
    pub use crate::store::certificates::{Certificate, CertificateState};
    pub use crate::store::operators::Operator;
    pub use crate::store::photos::Photo;
    pub use crate::store::plans::Plan;
    pub use crate::store::reports::ResultReport;
    pub use crate::store::scores::Correction;
    pub use crate::store::venues::{Room, Site, Staff};
}
