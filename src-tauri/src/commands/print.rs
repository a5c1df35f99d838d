//! 打印: one or a batch of documents into one PDF, with progress and cancel.

use std::path::PathBuf;

use skillcert_core::print::{self, PrintOutcome, PrintRequest};
use skillcert_core::progress::Progress;
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn print_documents(
    state: State<'_, AppState>,
    job: u32,
    request: PrintRequest,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> CommandResult<PrintOutcome> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, _| {
            // The suggested place is a SkillCert folder under the documents folder, which may not exist yet.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut progress = |p: Progress| {
                let _ = on_progress.send(p);
            };
            print::print(store, &request, &path, &mut progress, &cancel)
        })
        .await
}

/// The 套打 calibration page with the offsets now set.
#[tauri::command]
pub async fn print_calibration(state: State<'_, AppState>, path: PathBuf) -> CommandResult<PrintOutcome> {
    state
        .with_store(move |store, _| {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            print::print_calibration(store, &path)
        })
        .await
}
