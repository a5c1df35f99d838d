//! Domain types and rules: no I/O, no database.

pub mod arrangement;
pub mod calendar;
pub mod candidate;
pub mod certificate;
pub mod eligibility;
pub mod id_number;
pub mod level;
pub mod occupation;
pub mod operator;
pub mod overlay;
pub mod photo;
pub mod plan;
pub mod results;
pub mod score;
pub mod settings;
pub mod staffing;
pub mod status;
pub mod text;
pub mod ticket_pattern;
pub mod venue;
