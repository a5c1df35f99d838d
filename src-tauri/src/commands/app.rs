//! What the shell itself answers: where the database is, the dashboard and its yearly statistics, and the
//! first-render report of the smoke test.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use skillcert_core::ops::dashboard::{PlanDashboard, dashboard as dashboard_op};
use skillcert_core::ops::statistics::{self, YearStatistics};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

#[derive(Debug, Serialize, TS)]
pub struct AppInfo {
    pub db_path: String,
    pub schema_version: i64,
    pub version: String,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    // The file, or the server of 设置 → 数据库 (without its password).
    let db_path = state.place().shown;
    let schema_version = state.with_store(|store, _| store.schema_version()).await?;
    Ok(AppInfo { db_path, schema_version, version: env!("CARGO_PKG_VERSION").to_string() })
}

/// 工作台: every plan's figures.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> CommandResult<Vec<PlanDashboard>> {
    state.with_store(|store, session| dashboard_op(store, session)).await
}

/// 年度统计 of the plans whose exam falls in `year`.
#[tauri::command]
pub async fn year_statistics(state: State<'_, AppState>, year: i32) -> CommandResult<YearStatistics> {
    state.with_store(move |store, session| statistics::year_statistics(store, session, year)).await
}

/// The year's summary as .xlsx or .pdf, by the file's name.
#[tauri::command]
pub async fn export_statistics(state: State<'_, AppState>, year: i32, path: PathBuf) -> CommandResult<YearStatistics> {
    state.with_store(move |store, session| statistics::export_statistics(store, session, year, &path)).await
}

/// Stops a running job (import, print) by the id the UI gave it; the job then ends with a `cancelled` error and
/// leaves the database as it was.
#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job: u32) {
    state.jobs.cancel(job);
}

/// What the UI saw once its first screen rendered.
#[derive(Debug, Serialize, Deserialize, TS)]
pub struct UiReport {
    pub plans: u32,
    pub applications: u32,
    pub status_tags: Vec<String>,
}

/// The UI reports its first render. With SKILLCERT_SMOKE_REPORT set (the end-to-end smoke test), the report is
/// written there and the app quits; otherwise nothing happens.
#[tauri::command]
pub fn ui_ready(app: AppHandle, report: UiReport) -> CommandResult<()> {
    if let Some(path) = std::env::var_os("SKILLCERT_SMOKE_REPORT") {
        let text = serde_json::to_string(&report).map_err(CommandError::internal)?;
        std::fs::write(path, text).map_err(CommandError::internal)?;
        app.exit(0);
    }
    Ok(())
}

/// The glyphs of `text`'s rare characters (CJK Extension B onwards, which the window's fonts lack) as a small font
/// the window adds, so a name such as 吉𠮷 shows as written.
#[tauri::command]
pub async fn screen_font(text: String) -> CommandResult<tauri::ipc::Response> {
    let bytes = tauri::async_runtime::spawn_blocking(move || skillcert_core::print::fonts::screen_font(&text))
        .await
        .map_err(CommandError::internal)??;
    Ok(tauri::ipc::Response::new(bytes))
}
