//! Tauri commands, one module per screen. Each command is a thin wrapper: it runs one skillcert-core operation on
//! a blocking worker thread (`AppState::with_store`) and returns its result or a `{code, message}` error.

pub mod app;
pub mod applications;
pub mod exam;
pub mod import;
pub mod plans;
pub mod print;
pub mod settings;
