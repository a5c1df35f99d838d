//! 打印: one or a batch of documents into one PDF, with progress and cancel.

use std::path::PathBuf;

use skillcert_core::domain::overlay::OverlayTemplate;
use skillcert_core::print::{self, PrintOutcome, PrintRequest, RoomDocument};
use skillcert_core::progress::Progress;
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn print_documents(
    state: State<'_, AppState>,
    job: u32,
    request: PrintRequest,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> CommandResult<PrintOutcome> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, _| {
            super::ensure_parent(&path)?;
            print::print(store, &request, &path, &mut super::forward(on_progress), &cancel)
        })
        .await
}

/// One kind of 考务 document (座次表, 门贴, 桌贴, 签到表, 考场记录表) for every room of an arranged plan.
#[tauri::command]
pub async fn print_room_documents(
    state: State<'_, AppState>,
    job: u32,
    plan_id: i64,
    kind: RoomDocument,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> CommandResult<PrintOutcome> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, _| {
            super::ensure_parent(&path)?;
            print::print_room_documents(store, plan_id, kind, &path, &mut super::forward(on_progress), &cancel)
        })
        .await
}

/// The 套打 calibration page with the offsets now set.
#[tauri::command]
pub async fn print_calibration(state: State<'_, AppState>, path: PathBuf) -> CommandResult<PrintOutcome> {
    state
        .with_store(move |store, _| {
            super::ensure_parent(&path)?;
            print::print_calibration(store, &path)
        })
        .await
}

/// The installed 仿宋 certificates print in; None when the bundled serif stands in (the print screen warns).
#[tauri::command]
pub fn certificate_font() -> Option<String> {
    print::fonts::certificate_fangsong().map(|path| path.display().to_string())
}

/// A 套打 template read as it would print, for 设置's preview; refused naming the line that is wrong.
#[tauri::command]
pub fn overlay_preview(template: String) -> CommandResult<OverlayTemplate> {
    Ok(OverlayTemplate::parse(&template)?)
}
