//! 考务基础数据: 考点 and rooms, exam staff; imported and exported as one workbook.

use std::path::PathBuf;

use skillcert_core::domain::venue::{RoomDraft, SiteDraft, StaffDraft};
use skillcert_core::ops::staffing::{self, AssignRequest, Staffing};
use skillcert_core::ops::venues::{self, VenueImport};
use skillcert_core::rows::{Site, Staff};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_sites(state: State<'_, AppState>) -> CommandResult<Vec<Site>> {
    state.with_store(|store, _| venues::list_sites(store)).await
}

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> CommandResult<Vec<Staff>> {
    state.with_store(|store, _| venues::list_staff(store)).await
}

/// 导入考务基础数据: taken whole or not at all; the bad cells come back in the outcome.
#[tauri::command]
pub async fn import_venue_data(state: State<'_, AppState>, path: PathBuf) -> CommandResult<VenueImport> {
    state.with_store(move |store, session| venues::import_venue_data(store, session, &path, false)).await
}

#[tauri::command]
pub async fn export_venue_data(state: State<'_, AppState>, path: PathBuf) -> CommandResult<()> {
    state
        .with_store(move |store, _| {
            super::ensure_parent(&path)?;
            venues::export_venue_data(store, &path)
        })
        .await
}

/// 保存考点: added, or its address and ownership changed.
#[tauri::command]
pub async fn save_site(state: State<'_, AppState>, draft: SiteDraft) -> CommandResult<Site> {
    state.with_store(move |store, session| venues::save_site(store, session, &draft)).await
}

/// 保存考场: added to its 考点, or its kind and sizes changed.
#[tauri::command]
pub async fn save_room(state: State<'_, AppState>, draft: RoomDraft) -> CommandResult<Site> {
    state.with_store(move |store, session| venues::save_room(store, session, &draft)).await
}

/// 删除考点 with its rooms.
#[tauri::command]
pub async fn remove_site(state: State<'_, AppState>, name: String) -> CommandResult<()> {
    state.with_store(move |store, session| venues::remove_site(store, session, &name)).await
}

/// 删除考场 of a 考点; the 考点 as it is now.
#[tauri::command]
pub async fn remove_room(state: State<'_, AppState>, site: String, room: String) -> CommandResult<Site> {
    state.with_store(move |store, session| venues::remove_room(store, session, &site, &room)).await
}

/// 删除考务人员, refused while they are assigned.
#[tauri::command]
pub async fn remove_staff(state: State<'_, AppState>, person: String) -> CommandResult<()> {
    state.with_store(move |store, session| venues::remove_staff(store, session, &person)).await
}

/// Who serves each room's sitting of an arranged plan, and every rule broken.
#[tauri::command]
pub async fn staffing(state: State<'_, AppState>, plan_id: i64) -> CommandResult<Staffing> {
    state.with_store(move |store, _| staffing::staffing(store, plan_id)).await
}

/// 指派考务人员 to one room's sitting: refused naming every broken rule unless a reason is given (audited).
#[tauri::command]
pub async fn assign_staff(state: State<'_, AppState>, request: AssignRequest) -> CommandResult<Staffing> {
    state.with_store(move |store, session| staffing::assign_staff(store, session, &request)).await
}

/// 申报回避: the candidates' 证件号码 and units one person declared a conflict with for the plan.
#[tauri::command]
pub async fn declare_conflicts(
    state: State<'_, AppState>,
    plan_id: i64,
    person: String,
    declared: Vec<String>,
) -> CommandResult<Staffing> {
    state
        .with_store(move |store, session| staffing::declare_conflicts(store, session, plan_id, &person, &declared))
        .await
}

/// 保存考务人员: added, or what is known of them changed.
#[tauri::command]
pub async fn save_staff(state: State<'_, AppState>, draft: StaffDraft) -> CommandResult<Staff> {
    state.with_store(move |store, session| venues::save_staff(store, session, &draft)).await
}
