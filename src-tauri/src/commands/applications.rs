//! 考生 / 报名 and 审核: the paged table, a candidate's detail, profile edits, review and payment.

use skillcert_core::domain::candidate::CandidateDraft;
use skillcert_core::ops::applications::{self as ops, BatchOutcome, Decision, Selection};
use std::path::PathBuf;

use skillcert_core::Page;
use skillcert_core::domain::eligibility::Evaluation;
use skillcert_core::domain::status::PaymentStatus;
use skillcert_core::ops::candidates::{self, CandidateDetail};
use skillcert_core::ops::eligibility;
use skillcert_core::ops::photos::{self, PhotoImportReport, PhotoOutcome};
use skillcert_core::rows::Candidate;
use skillcert_core::rows::{Application, ApplicationQuery, ApplicationRow};
use tauri::State;
use tauri::ipc::Response;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn search_applications(
    state: State<'_, AppState>,
    query: ApplicationQuery,
) -> CommandResult<Page<ApplicationRow>> {
    state.with_store(move |store, _| ops::search_applications(store, &query)).await
}

#[tauri::command]
pub async fn candidate_detail(state: State<'_, AppState>, candidate_id: i64) -> CommandResult<CandidateDetail> {
    state.with_store(move |store, _| candidates::candidate_detail(store, candidate_id)).await
}

/// The candidate's printable photo as raw bytes (no JSON array of numbers); empty when there is none.
#[tauri::command]
pub async fn candidate_photo(state: State<'_, AppState>, candidate_id: i64) -> CommandResult<Response> {
    let photo = state.with_store(move |store, _| candidates::candidate_photo(store, candidate_id)).await?;
    Ok(Response::new(photo.map(|p| p.image).unwrap_or_default()))
}

/// Sets one candidate's photo from an image file (`fix`: scale or compress it to the rules instead of refusing).
#[tauri::command]
pub async fn set_photo(
    state: State<'_, AppState>,
    id_number: String,
    path: PathBuf,
    fix: bool,
) -> CommandResult<PhotoOutcome> {
    state.with_store(move |store, session| photos::set_photo(store, session, &id_number, &path, fix)).await
}

/// Imports a folder or .zip of photos named by 证件号码.
#[tauri::command]
pub async fn import_photos(state: State<'_, AppState>, path: PathBuf, fix: bool) -> CommandResult<PhotoImportReport> {
    state.with_store(move |store, session| photos::import_photos(store, session, &path, fix)).await
}

#[tauri::command]
pub async fn update_candidate(
    state: State<'_, AppState>,
    draft: CandidateDraft,
    seen: Option<String>,
) -> CommandResult<Candidate> {
    state
        .with_store(move |store, session| candidates::update_candidate_seen(store, session, &draft, seen.as_deref()))
        .await
}

/// 报名 from the candidate drawer, first step: the plan's 报考条件 checked against the candidate (None: no rules).
#[tauri::command]
pub async fn check_eligibility(
    state: State<'_, AppState>,
    plan_id: i64,
    candidate_id: i64,
) -> CommandResult<Option<Evaluation>> {
    state.with_store(move |store, _| eligibility::check_candidate(store, plan_id, candidate_id)).await
}

/// 报名: a 待处理 application to the plan, whatever the check said (the reviewer decides); with `resit`, a 补考 that
/// keeps the parts passed in an earlier plan of the same occupation and level.
#[tauri::command]
pub async fn apply_candidate(
    state: State<'_, AppState>,
    plan_id: i64,
    candidate_id: i64,
    resit: bool,
) -> CommandResult<Application> {
    state.with_store(move |store, session| ops::apply_candidate(store, session, plan_id, candidate_id, resit)).await
}

/// 审核: approve or reject these candidates' applications to the plan, all or none.
#[tauri::command]
pub async fn review(
    state: State<'_, AppState>,
    plan_id: i64,
    decision: Decision,
    id_numbers: Vec<String>,
    reason: Option<String>,
    only_eligible: bool,
) -> CommandResult<BatchOutcome> {
    state
        .with_store(move |store, session| {
            let selection = Selection::IdNumbers(id_numbers);
            ops::review(store, session, plan_id, decision, &selection, reason.as_deref(), only_eligible)
        })
        .await
}

/// 登记缴费, 准予缓缴, or back to 待支付.
#[tauri::command]
pub async fn set_payment(
    state: State<'_, AppState>,
    plan_id: i64,
    id_number: String,
    to: PaymentStatus,
) -> CommandResult<Application> {
    state.with_store(move |store, session| ops::set_payment(store, session, plan_id, &id_number, to)).await
}
