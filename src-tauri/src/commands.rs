//! Tauri commands: each one calls one skillcert-core operation on a worker thread.

use serde::{Deserialize, Serialize};
use skillcert_core::domain::status::ApplicationStatus;
use skillcert_core::ops::applications::list_applications as list_applications_op;
use skillcert_core::ops::plans::{PlanSummary, list_plans as list_plans_op};
use skillcert_core::store::applications::Application;
use tauri::{AppHandle, State};

use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub db_path: String,
    pub schema_version: i64,
    pub version: &'static str,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    let db_path = state.db_path.display().to_string();
    let schema_version = state.with_store(|store, _| store.schema_version()).await?;
    Ok(AppInfo { db_path, schema_version, version: env!("CARGO_PKG_VERSION") })
}

#[tauri::command]
pub async fn list_plans(state: State<'_, AppState>) -> CommandResult<Vec<PlanSummary>> {
    state.with_store(|store, session| list_plans_op(store, session)).await
}

#[tauri::command]
pub async fn list_applications(
    state: State<'_, AppState>,
    plan_id: i64,
    status: Option<ApplicationStatus>,
) -> CommandResult<Vec<Application>> {
    state.with_store(move |store, _| list_applications_op(store, plan_id, status)).await
}

/// What the UI saw once its first screen rendered.
#[derive(Debug, Serialize, Deserialize)]
pub struct UiReport {
    pub plans: usize,
    pub applications: usize,
    pub status_tags: Vec<String>,
}

/// The UI reports its first render. With SKILLCERT_SMOKE_REPORT set (the end-to-end smoke test), the report is
/// written there and the app quits; otherwise nothing happens.
#[tauri::command]
pub fn ui_ready(app: AppHandle, report: UiReport) -> CommandResult<()> {
    if let Some(path) = std::env::var_os("SKILLCERT_SMOKE_REPORT") {
        let text = serde_json::to_string(&report).map_err(crate::error::CommandError::internal)?;
        std::fs::write(path, text).map_err(crate::error::CommandError::internal)?;
        app.exit(0);
    }
    Ok(())
}
