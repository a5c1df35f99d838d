//! 考务编排, 成绩 (template, import, publish), 证书.

use std::path::PathBuf;

use skillcert_core::import::ImportSummary;
use skillcert_core::ops::arrangement::{self, ArrangeOutcome, ArrangeRequest};
use skillcert_core::ops::scores::{self, PublishOutcome, ScoreRow};
use skillcert_core::progress::Progress;
use skillcert_core::rows::Arrangement;
use skillcert_core::rows::Certificate;
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandResult;
use crate::state::{AppState, LastImport};

#[tauri::command]
pub async fn arrangement_of(state: State<'_, AppState>, plan_id: i64) -> CommandResult<Option<Arrangement>> {
    state.with_store(move |store, _| arrangement::arrangement_of(store, plan_id)).await
}

#[tauri::command]
pub async fn arrange(
    state: State<'_, AppState>,
    plan_id: i64,
    request: ArrangeRequest,
) -> CommandResult<ArrangeOutcome> {
    state.with_store(move |store, session| arrangement::arrange(store, session, plan_id, &request)).await
}

#[tauri::command]
pub async fn write_score_template(state: State<'_, AppState>, plan_id: i64, path: PathBuf) -> CommandResult<usize> {
    state.with_store(move |store, _| scores::write_score_template(store, plan_id, &path)).await
}

#[tauri::command]
pub async fn import_scores(
    state: State<'_, AppState>,
    plan_id: i64,
    path: PathBuf,
    dry_run: bool,
) -> CommandResult<ImportSummary> {
    let result =
        state.with_store(move |store, session| scores::import_scores(store, session, plan_id, &path, dry_run)).await?;
    let summary = result.summary.clone();
    state.keep_import(LastImport::Scores(result));
    Ok(summary)
}

#[tauri::command]
pub async fn list_scores(state: State<'_, AppState>, plan_id: i64) -> CommandResult<Vec<ScoreRow>> {
    state.with_store(move |store, _| scores::list_scores(store, plan_id)).await
}

/// 成绩发布: all filed applications of the plan, with certificates for those who passed.
#[tauri::command]
pub async fn publish_scores(
    state: State<'_, AppState>,
    job: u32,
    plan_id: i64,
    on_progress: Channel<Progress>,
) -> CommandResult<PublishOutcome> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, session| {
            scores::publish_scores(store, session, plan_id, &mut super::forward(on_progress), &cancel)
        })
        .await
}

#[tauri::command]
pub async fn list_certificates(state: State<'_, AppState>, plan_id: Option<i64>) -> CommandResult<Vec<Certificate>> {
    state.with_store(move |store, _| scores::list_certificates(store, plan_id, None)).await
}
