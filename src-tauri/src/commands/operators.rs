//! 登录 and 操作员: who is at the keyboard. A database without operator accounts needs no sign-in (the desktop user
//! acts, as before accounts existed); the first account added is the administrator, who is then signed in.

use std::time::{Duration, Instant};

use serde::Serialize;
use skillcert_core::domain::operator::Role;
use skillcert_core::ops::operators::{self as ops, OperatorDraft};
use skillcert_core::rows::Operator;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandResult;
use crate::state::{AppState, SignedIn};

/// What the sign-in screen and the header need.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuthStatus {
    /// Whether the database has operator accounts (then every command needs a signed-in operator).
    pub accounts: bool,
    /// The signed-in operator: "姓名（登录名）" and role.
    pub operator: Option<String>,
    pub role: Option<Role>,
    /// Minutes without activity before the app locks.
    pub idle_minutes: u32,
}

fn status(state: &AppState, accounts: bool, idle: u32) -> AuthStatus {
    let signed_in = state.signed_in();
    AuthStatus {
        accounts,
        operator: signed_in.as_ref().map(|s| s.session.operator.clone()),
        role: signed_in.and_then(|s| s.session.role()),
        idle_minutes: idle,
    }
}

#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> CommandResult<AuthStatus> {
    let (accounts, idle) =
        state.with_store_unsigned(|store| Ok((ops::operators_exist(store)?, ops::idle_lock_minutes(store)?))).await?;
    Ok(status(&state, accounts, idle))
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, login: String, password: String) -> CommandResult<AuthStatus> {
    let (session, idle) = state
        .with_store_unsigned(move |store| {
            let session = ops::sign_in(store, &login, &password)?;
            Ok((session, ops::idle_lock_minutes(store)?))
        })
        .await?;
    state.sign_in(SignedIn {
        session,
        last_activity: Instant::now(),
        idle_limit: Duration::from_secs(u64::from(idle) * 60),
    });
    Ok(status(&state, true, idle))
}

/// 退出 or the idle lock: the next command needs a sign-in again.
#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    state.sign_out();
}

#[tauri::command]
pub async fn list_operators(state: State<'_, AppState>) -> CommandResult<Vec<Operator>> {
    state.with_store(|store, _| ops::list_operators(store)).await
}

/// 添加操作员. The first one (the administrator) is signed in at once.
#[tauri::command]
pub async fn add_operator(state: State<'_, AppState>, draft: OperatorDraft) -> CommandResult<AuthStatus> {
    let first = !state.with_store_unsigned(|store| ops::operators_exist(store)).await?;
    let password = draft.password.clone();
    let login = draft.login.clone();
    state.with_store(move |store, session| ops::add_operator(store, session, &draft)).await?;
    if first {
        return sign_in(state, login, password).await;
    }
    auth_status(state).await
}

#[tauri::command]
pub async fn set_operator(
    state: State<'_, AppState>,
    login: String,
    role: Role,
    active: bool,
) -> CommandResult<Operator> {
    state.with_store(move |store, session| ops::set_operator(store, session, &login, role, active)).await
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    login: String,
    current: Option<String>,
    new: String,
) -> CommandResult<()> {
    state.with_store(move |store, session| ops::change_password(store, session, &login, current.as_deref(), &new)).await
}
