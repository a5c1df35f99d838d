//! 认定计划: list, create, edit, close.

use skillcert_core::domain::plan::PlanDraft;
use skillcert_core::ops::plans::{self as ops, PlanSummary};
use skillcert_core::rows::Plan;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_plans(state: State<'_, AppState>) -> CommandResult<Vec<PlanSummary>> {
    state.with_store(|store, session| ops::list_plans(store, session)).await
}

#[tauri::command]
pub async fn create_plan(state: State<'_, AppState>, draft: PlanDraft) -> CommandResult<Plan> {
    state.with_store(move |store, session| ops::create_plan(store, session, &draft)).await
}

#[tauri::command]
pub async fn update_plan(
    state: State<'_, AppState>,
    id: i64,
    draft: PlanDraft,
    seen: Option<String>,
) -> CommandResult<Plan> {
    state.with_store(move |store, session| ops::update_plan_seen(store, session, id, &draft, seen.as_deref())).await
}

#[tauri::command]
pub async fn set_plan_closed(state: State<'_, AppState>, id: i64, closed: bool) -> CommandResult<Plan> {
    state.with_store(move |store, session| ops::set_plan_closed(store, session, id, closed)).await
}
