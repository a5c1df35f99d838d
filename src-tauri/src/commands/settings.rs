//! 设置 and 操作日志.

use std::path::{Path, PathBuf};

use skillcert_core::Page;
use skillcert_core::backup::{self, BackupInfo, BackupStatus};
use skillcert_core::domain::occupation::Occupation;
use skillcert_core::import::ImportSummary;
use skillcert_core::ops::audit::{audit_actions as actions_op, search_audit as search_op};
use skillcert_core::ops::encryption::{self, SecurityStatus};
use skillcert_core::ops::occupations;
use skillcert_core::ops::settings::{self, SettingView};
use skillcert_core::rows::{AuditEntry, AuditQuery};
use tauri::{Manager, State};

use crate::error::CommandResult;
use crate::state::{AppState, LastImport};

/// 职业目录: occupations whose name holds the text or whose code starts with it (the plan form's 职业 field).
#[tauri::command]
pub async fn search_occupations(state: State<'_, AppState>, query: String) -> CommandResult<Vec<Occupation>> {
    state.with_store(move |store, _| occupations::search_occupations(store, &query)).await
}

/// 导入职业目录: a sheet of 职业编码 and 职业名称, taken whole or not at all; the rejected rows can be saved as a report.
#[tauri::command]
pub async fn import_occupations(state: State<'_, AppState>, path: PathBuf) -> CommandResult<ImportSummary> {
    let result =
        state.with_store(move |store, session| occupations::import_occupations(store, session, &path, false)).await?;
    let summary = result.summary.clone();
    state.keep_import(LastImport::Occupations(result));
    Ok(summary)
}

#[tauri::command]
pub async fn show_settings(state: State<'_, AppState>) -> CommandResult<Vec<SettingView>> {
    state.with_store(|store, _| settings::show_settings(store)).await
}

#[tauri::command]
pub async fn set_setting(state: State<'_, AppState>, key: String, value: String) -> CommandResult<SettingView> {
    state.with_store(move |store, session| settings::set_setting(store, session, &key, &value)).await
}

/// The newest backup beside the database and where backups go.
#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> CommandResult<BackupStatus> {
    state.with_store(|store, _| backup::status(store)).await
}

/// 立即备份: a checked copy into the backups folder.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CommandResult<Option<BackupInfo>> {
    state.with_store(|store, session| backup::backup_now(store, session)).await
}

/// 数据安全: whether the database is encrypted, and whether its recovery code was exported.
#[tauri::command]
pub async fn security_status(state: State<'_, AppState>) -> CommandResult<SecurityStatus> {
    state.with_store(|store, _| encryption::security_status(store)).await
}

/// 导出恢复码 (administrators, once per database) to a new file the operator chose.
#[tauri::command]
pub async fn export_recovery_code(state: State<'_, AppState>, path: String) -> CommandResult<SecurityStatus> {
    state
        .with_store(move |store, session| {
            super::ensure_parent(Path::new(&path))?;
            encryption::export_recovery_code(store, session, Path::new(&path))
        })
        .await
}

/// 输入恢复码 at start, for a database encrypted with a key this computer does not have. Returns why the key could not
/// be kept for the next start (no keychain), if so.
#[tauri::command]
pub async fn unlock_database(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<Option<String>> {
    let not_kept = state.unlock(code).await?;
    // The start-up's daily backup found the database locked: now it can run (off the answer's path).
    tauri::async_runtime::spawn(async move { app.state::<AppState>().daily_backup().await });
    Ok(not_kept)
}

#[tauri::command]
pub async fn search_audit(state: State<'_, AppState>, query: AuditQuery) -> CommandResult<Page<AuditEntry>> {
    state.with_store(move |store, _| search_op(store, &query)).await
}

#[tauri::command]
pub async fn audit_actions(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    state.with_store(|store, _| actions_op(store)).await
}

/// 门户连接: the token goes to the keychain and the address to the settings; with `session_only` (no keychain on
/// this computer) the token is kept in memory until the app closes, never written anywhere.
#[tauri::command]
pub async fn portal_connect(
    state: State<'_, AppState>,
    url: String,
    token: String,
    session_only: bool,
) -> CommandResult<()> {
    if session_only {
        let url = state
            .with_store(move |store, session| skillcert_core::sync::client::set_portal_url(store, session, &url))
            .await?;
        state.keep_session_token(url, token);
        return Ok(());
    }
    state.with_store(move |store, session| skillcert_core::sync::client::connect(store, session, &url, &token)).await
}

/// 立即同步 with the portal in the settings, progress over the channel (rounds done), cancellable between rounds.
#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    job: u32,
    on_progress: tauri::ipc::Channel<skillcert_core::progress::Progress>,
) -> CommandResult<skillcert_core::sync::client::SyncOutcome> {
    let cancel = state.jobs.start(job);
    let session_token = state.session_token();
    state
        .with_store(move |store, _| {
            let given = session_token.map(|(_, token)| token);
            let portal = skillcert_core::sync::client::Portal::resolve(store, None, given)?;
            skillcert_core::sync::client::sync(store, &portal, &mut super::forward(on_progress), &cancel)
        })
        .await
}
