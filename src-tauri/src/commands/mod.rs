//! Tauri commands, one module per screen. Each command is a thin wrapper: it runs one skillcert-core operation on
//! a blocking worker thread (`AppState::with_store`) and returns its result or a `{code, message}` error.

pub mod app;
pub mod applications;
pub mod database;
pub mod eligibility;
pub mod exam;
pub mod import;
pub mod operators;
pub mod plans;
pub mod print;
pub mod settings;
pub mod venues;

use std::path::Path;

use skillcert_core::progress::Progress;
use tauri::ipc::Channel;

/// A long job's progress callback that forwards each report to the UI over `channel` (a closed window just stops
/// listening; the job goes on).
pub(crate) fn forward(channel: Channel<Progress>) -> impl FnMut(Progress) {
    move |p| {
        let _ = channel.send(p);
    }
}

/// Creates the folder a file is about to be written to (the suggested SkillCert folder may not exist yet).
fn ensure_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir),
        None => Ok(()),
    }
}
