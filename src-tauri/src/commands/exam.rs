//! 考务编排, 成绩 (template, import, publish as a notice, corrections), 证书 (issue after the notice).

use std::path::PathBuf;

use skillcert_core::domain::text::parse_date;
use skillcert_core::import::ImportSummary;
use skillcert_core::ops::arrangement::{self, ArrangeOutcome, ArrangeRequest};
use skillcert_core::ops::certificates::{self, IssueOutcome};
use skillcert_core::ops::reporting::{self, ReportKind, ReportMark, ReportStatus};
use skillcert_core::ops::scores::{self, CorrectionRequest, NoticeView, PublishOutcome, ScoreRow};
use skillcert_core::print;
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

/// The sources of marks set up in scores.sources (exam platforms, mark readers), for the score import's choice.
#[tauri::command]
pub async fn score_sources(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    state.with_store(|store, _| scores::score_sources(store)).await
}

#[tauri::command]
pub async fn import_scores(
    state: State<'_, AppState>,
    plan_id: i64,
    path: PathBuf,
    source: Option<String>,
    dry_run: bool,
) -> CommandResult<ImportSummary> {
    let result = state
        .with_store(move |store, session| {
            scores::import_scores_from(store, session, plan_id, &path, source.as_deref(), dry_run)
        })
        .await?;
    let summary = result.summary.clone();
    state.keep_import(LastImport::Scores(result));
    Ok(summary)
}

#[tauri::command]
pub async fn list_scores(state: State<'_, AppState>, plan_id: i64) -> CommandResult<Vec<ScoreRow>> {
    state.with_store(move |store, _| scores::list_scores(store, plan_id)).await
}

/// 发布成绩公示: all filed applications of the plan, their results on notice from today.
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
pub async fn results_notice(state: State<'_, AppState>, plan_id: i64) -> CommandResult<Option<NoticeView>> {
    state.with_store(move |store, session| scores::results_notice(store, session, plan_id)).await
}

/// 成绩公示名单 to `path`: a PDF to print, or an .xlsx, by the file's name; returns how many lines it lists.
#[tauri::command]
pub async fn write_notice_list(state: State<'_, AppState>, plan_id: i64, path: PathBuf) -> CommandResult<usize> {
    state
        .with_store(move |store, _| {
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
                print::print_notice_list(store, plan_id, &path).map(|outcome| outcome.documents)
            } else {
                scores::export_notice_list(store, plan_id, &path)
            }
        })
        .await
}

#[tauri::command]
pub async fn correct_score(state: State<'_, AppState>, request: CorrectionRequest) -> CommandResult<ScoreRow> {
    state.with_store(move |store, session| scores::correct_score(store, session, &request)).await
}

/// 颁发证书 once the notice has ended, dated `issued_on`.
#[tauri::command]
pub async fn issue_certificates(
    state: State<'_, AppState>,
    job: u32,
    plan_id: i64,
    issued_on: String,
    on_progress: Channel<Progress>,
) -> CommandResult<IssueOutcome> {
    let cancel = state.jobs.start(job);
    state
        .with_store(move |store, session| {
            let issued_on = parse_date("发证日期", &issued_on)?;
            certificates::issue_certificates(
                store,
                session,
                plan_id,
                issued_on,
                &mut super::forward(on_progress),
                &cancel,
            )
        })
        .await
}

#[tauri::command]
pub async fn list_certificates(state: State<'_, AppState>, plan_id: Option<i64>) -> CommandResult<Vec<Certificate>> {
    state.with_store(move |store, _| certificates::list_certificates(store, plan_id, None)).await
}

/// 作废 a certificate, with the reason.
#[tauri::command]
pub async fn revoke_certificate(
    state: State<'_, AppState>,
    number: String,
    reason: String,
) -> CommandResult<Certificate> {
    state.with_store(move |store, session| certificates::revoke_certificate(store, session, &number, &reason)).await
}

/// 补发 a lost or damaged certificate.
#[tauri::command]
pub async fn reissue_certificate(
    state: State<'_, AppState>,
    number: String,
    reason: String,
    print_serial: Option<String>,
) -> CommandResult<Certificate> {
    state
        .with_store(move |store, session| {
            certificates::reissue_certificate(store, session, &number, &reason, print_serial.as_deref())
        })
        .await
}

/// 导入省级分配的证书编号 (证件号码 → 证书编号); the rejected rows can then be saved as a report.
#[tauri::command]
pub async fn import_assigned_numbers(
    state: State<'_, AppState>,
    plan_id: i64,
    path: PathBuf,
) -> CommandResult<ImportSummary> {
    let result = state
        .with_store(move |store, session| certificates::import_assigned_numbers(store, session, plan_id, &path, false))
        .await?;
    let summary = result.summary.clone();
    state.keep_import(LastImport::Numbers(result));
    Ok(summary)
}

/// 上报: the plan's published results or valid certificates, as .xlsx or .csv by the file's name.
#[tauri::command]
pub async fn export_report(
    state: State<'_, AppState>,
    plan_id: i64,
    kind: ReportKind,
    path: PathBuf,
) -> CommandResult<usize> {
    state.with_store(move |store, _| reporting::export_report(store, plan_id, kind, &path)).await
}

/// Where the plan's results report stands, its deadline and what is due next.
#[tauri::command]
pub async fn report_status(state: State<'_, AppState>, plan_id: i64) -> CommandResult<ReportStatus> {
    state.with_store(move |store, session| reporting::report_status(store, session, plan_id)).await
}

/// Records the results report as sent, sent back (with the reason) or accepted.
#[tauri::command]
pub async fn mark_report(state: State<'_, AppState>, plan_id: i64, mark: ReportMark) -> CommandResult<ReportStatus> {
    state.with_store(move |store, session| reporting::mark_report(store, session, plan_id, &mark)).await
}
