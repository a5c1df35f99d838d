//! 设置 and 操作日志.

use skillcert_core::ops::audit::{audit_actions as actions_op, search_audit as search_op};
use skillcert_core::ops::settings::{self, SettingView};
use skillcert_core::store::Page;
use skillcert_core::store::audit::{AuditEntry, AuditQuery};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn show_settings(state: State<'_, AppState>) -> CommandResult<Vec<SettingView>> {
    state.with_store(|store, _| settings::show_settings(store)).await
}

#[tauri::command]
pub async fn set_setting(state: State<'_, AppState>, key: String, value: String) -> CommandResult<SettingView> {
    state.with_store(move |store, session| settings::set_setting(store, session, &key, &value)).await
}

#[tauri::command]
pub async fn search_audit(state: State<'_, AppState>, query: AuditQuery) -> CommandResult<Page<AuditEntry>> {
    state.with_store(move |store, _| search_op(store, &query)).await
}

#[tauri::command]
pub async fn audit_actions(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    state.with_store(|store, _| actions_op(store)).await
}
