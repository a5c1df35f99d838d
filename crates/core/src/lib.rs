//! skillcert-core: SkillCert's domain rules, SQLite store and operator operations.
//!
//! - [`domain`]: types and rules (证件号码, levels, plans, statuses, certificate numbers); pure, no I/O.
//! - [`store`]: the SQLite database: opening, migrations, one module per table.
//! - [`ops`]: one function per thing an operator does; the CLI and the desktop app call only these.

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
pub mod store;
pub mod sync;
#[cfg(test)]
mod testing;

pub use error::{Error, ErrorCode, Result};
