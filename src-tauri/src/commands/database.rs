//! 设置 → 数据库: this computer's file or the agency's PostgreSQL server, and moving the file's data onto the server.

use serde::Serialize;
use skillcert_core::backup::{self, TableCount};
use skillcert_core::domain::operator::Permission;
use skillcert_core::encryption::Keys;
use skillcert_core::ops::database::{self, ServerCheck, ServerSettings};
use skillcert_core::{Location, Store};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, Place, choice_file};

/// Where the open database is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DatabaseInfo {
    /// The file's path, or the server's address without its password.
    pub shown: String,
    pub on_server: bool,
    /// The server chosen in 设置 → 数据库 (its fields, for the form).
    pub server: Option<ServerSettings>,
    /// This computer's own database file.
    pub local_path: String,
    /// Why the chosen server was not used at start, if so.
    pub notice: Option<String>,
}

/// What choosing a server did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ServerChosen {
    pub info: DatabaseInfo,
    /// The tables copied from this computer's database, with their counts (empty when nothing was copied).
    pub copied: Vec<TableCount>,
    /// Whether the password is in the keychain for the next start (else it is asked again then).
    pub password_kept: bool,
}

fn info(state: &AppState) -> DatabaseInfo {
    let place = state.place();
    DatabaseInfo {
        on_server: place.server.is_some() || place.shown.starts_with("postgres://"),
        shown: place.shown,
        server: place.server,
        local_path: state.db_path.display().to_string(),
        notice: place.notice,
    }
}

#[tauri::command]
pub async fn database_info(state: State<'_, AppState>) -> CommandResult<DatabaseInfo> {
    Ok(info(&state))
}

/// 测试连接: connects and says whether SkillCert's tables are there yet; creates nothing.
#[tauri::command]
pub async fn check_server(settings: ServerSettings, password: String) -> CommandResult<ServerCheck> {
    tauri::async_runtime::spawn_blocking(move || database::check_server(&settings, &password))
        .await
        .map_err(CommandError::internal)?
        .map_err(CommandError::from)
}

/// 使用此服务器: from now on (and at the next start) the app works on the server. With `copy_local`, everything of
/// this computer's database is copied there first (the server database must be empty; every table's count is
/// checked; the file is kept). Choosing another database is an administrator's (备份与恢复).
#[tauri::command]
pub async fn use_server(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: ServerSettings,
    password: String,
    copy_local: bool,
) -> CommandResult<ServerChosen> {
    let address = settings.address()?;
    let with_password = address.with_password(&password);
    let target = Location::Server(with_password.clone());
    let copied = state
        .with_store(move |store, session| {
            session.require(Permission::Backup)?;
            if copy_local { backup::copy_to(store, session, &target, &Keys::system()?) } else { Ok(Vec::new()) }
        })
        .await?;
    let store = tauri::async_runtime::spawn_blocking(move || Store::connect(&with_password, true))
        .await
        .map_err(CommandError::internal)??;
    let password_kept = database::remember_password(&address, &password).is_ok();
    if let Some(file) = choice_file(&app) {
        super::ensure_parent(&file).map_err(CommandError::internal)?;
        let json = serde_json::to_string_pretty(&settings).map_err(CommandError::internal)?;
        std::fs::write(&file, json).map_err(CommandError::internal)?;
    }
    state.replace_store(store, Place { server: Some(settings), shown: address.to_string(), notice: None });
    Ok(ServerChosen { info: info(&state), copied, password_kept })
}

/// 改用本机数据库: back to this computer's file (the server keeps its data).
#[tauri::command]
pub async fn use_local(app: AppHandle, state: State<'_, AppState>) -> CommandResult<DatabaseInfo> {
    state.with_store(|_, session| session.require(Permission::Backup)).await?;
    let path = state.db_path.clone();
    let store = tauri::async_runtime::spawn_blocking(move || Store::open_or_create(&path, &Keys::system()?))
        .await
        .map_err(CommandError::internal)??;
    if let Some(file) = choice_file(&app) {
        let _ = std::fs::remove_file(file);
    }
    let shown = state.db_path.display().to_string();
    state.replace_store(store, Place { server: None, shown, notice: None });
    Ok(info(&state))
}
