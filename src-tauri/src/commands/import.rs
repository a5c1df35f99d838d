//! 导入: preview a roster, import it with progress and cancel, save the report of rejected rows; the templates and
//! the export of applications.

use std::path::PathBuf;

use skillcert_core::domain::status::ApplicationStatus;
use skillcert_core::export::export_applications as export_op;
use skillcert_core::import::preview::{ImportPreview, preview_roster};
use skillcert_core::import::report::write_report;
use skillcert_core::import::{ImportOptions, ImportSummary, Progress, import_candidates as import_op, template};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, LastImport};

#[tauri::command]
pub async fn preview_import(state: State<'_, AppState>, path: PathBuf) -> CommandResult<ImportPreview> {
    state.with_store(move |_, _| preview_roster(&path)).await
}

/// Imports a roster in one transaction. Progress goes to `on_progress` (rows done of rows declared); `cancel_job`
/// with the same `job` stops it and nothing is written. The rejected rows are kept for `save_import_report`.
#[tauri::command]
pub async fn import_candidates(
    state: State<'_, AppState>,
    job: u32,
    path: PathBuf,
    plan_id: Option<i64>,
    dry_run: bool,
    on_progress: Channel<Progress>,
) -> CommandResult<ImportSummary> {
    let cancel = state.jobs.start(job);
    let options = ImportOptions { plan_id, dry_run, strict: false };
    let result = state
        .with_store(move |store, session| {
            import_op(store, session, &path, &options, &mut super::forward(on_progress), &cancel)
        })
        .await?;
    let summary = result.summary.clone();
    state.keep_import(LastImport::Candidates(result));
    Ok(summary)
}

/// Writes the last import's rejected rows (as they were, bad cells marked) to `path`, to fix and import again.
#[tauri::command]
pub async fn save_import_report(state: State<'_, AppState>, path: PathBuf) -> CommandResult<()> {
    let last = state.last_import();
    tauri::async_runtime::spawn_blocking(move || {
        let last = last.lock().map_err(|_| CommandError::internal("导入结果已失效"))?;
        match &*last {
            Some(LastImport::Candidates(result)) => write_report(result, &path),
            Some(LastImport::Scores(result)) => write_report(result, &path),
            Some(LastImport::Numbers(result)) => write_report(result, &path),
            Some(LastImport::Occupations(result)) => write_report(result, &path),
            None => return Err(CommandError::refused("还没有导入结果，请先导入文件")),
        }
        .map_err(CommandError::from)
    })
    .await
    .map_err(CommandError::internal)?
}

#[tauri::command]
pub async fn write_candidate_template(path: PathBuf) -> CommandResult<()> {
    tauri::async_runtime::spawn_blocking(move || template::write_template(&path).map_err(CommandError::from))
        .await
        .map_err(CommandError::internal)?
}

/// 导出报名名单 (.xlsx); returns the rows written.
#[tauri::command]
pub async fn export_applications(
    state: State<'_, AppState>,
    plan_id: i64,
    job: u32,
    status: Option<ApplicationStatus>,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> CommandResult<usize> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, _| export_op(store, plan_id, status, &path, &mut super::forward(on_progress), &cancel))
        .await
}
