//! 考务基础数据: 考点 and rooms, exam staff; imported and exported as one workbook.

use std::path::PathBuf;

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
