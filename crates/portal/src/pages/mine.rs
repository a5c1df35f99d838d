//! 我的报名 and 我的证书: the seed's tables with the actions each status allows — edit while 待处理 or 申请不通过 (and
//! resubmit a refused one), 个人申请表 from 申请通过, 准考证 from 已提交申报, scores at 成绩发布 — and the certificate
//! PDF behind its number (the same PDF the desktop prints). Every record is checked to be the candidate's own.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::html;
use skillcert_core::ErrorCode;
use skillcert_core::domain::status::{ApplicationStatus, PaymentStatus};
use skillcert_core::ops::self_service;
use skillcert_core::print::DocumentKind;
use skillcert_core::rows::{Application, CertificateState};

use super::{CsrfForm, SignedIn, csrf_field, explain, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/my/applications", get(my_applications))
        .route("/my/applications/{id}/resubmit", post(resubmit))
        .route("/my/applications/{id}/form.pdf", get(form_pdf))
        .route("/my/applications/{id}/ticket.pdf", get(ticket_pdf))
        .route("/my/applications/{id}/scores", get(my_scores))
        .route("/my/certificates", get(my_certificates))
        .route("/my/certificates/{number}", get(certificate_pdf))
}

fn dot(colour: &str) -> maud::Markup {
    html! { span.dot style=(format!("background:{colour}")) {} }
}

fn status_colour(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Pending => "#e6a23c",
        ApplicationStatus::Rejected => "#f56c6c",
        ApplicationStatus::Approved => "#409eff",
        ApplicationStatus::Filed => "#909399",
        ApplicationStatus::ScoresPublished => "#67c23a",
    }
}

async fn my_applications(State(app): State<AppState>, s: SignedIn) -> Response {
    let session = s.session.clone();
    let rows = app.with_store(move |store| self_service::own_applications(store, &session)).await;
    let Ok(rows) = rows else { return super::error_page("无法读取报名记录") };
    Html(page("我的报名", Some(&s), html! {
        h2 { "我的报名" }
        div.scroll {
            table {
                thead { tr { th { "职业" } th { "工种/职业方向" } th { "等级" } th { "状态" } th { "支付状态" } th { "操作" } } }
                tbody {
                    @for r in &rows {
                        @let a = &r.application;
                        tr data-application=(a.id) {
                            td { (r.occupation) } td { (r.job.as_deref().unwrap_or("--")) }
                            td.nowrap { (r.level) @if r.resit.is_some() { " " span.tag data-kind="resit" { "补考" } } }
                            td.nowrap { (dot(status_colour(a.status))) (a.status)
                                @if let Some(reason) = &a.reject_reason { br; span.muted { "原因：" (reason) } } }
                            td.nowrap {
                                @if a.payment == PaymentStatus::NotRequired { "--" }
                                @else { (dot(if a.payment == PaymentStatus::Paid { "#67c23a" } else { "#e6a23c" })) (a.payment) }
                                @if a.payment == PaymentStatus::Deferred { br; span.muted { "可参加考试，缴清后发证" } }
                            }
                            td { (actions(&s, a)) }
                        }
                        @if let Some(exam) = &r.exam {
                            tr.exam data-exam=(a.id) {
                                td colspan="6" {
                                    span.muted { "准考证号 " } b { (exam.ticket_number) } "　"
                                    span.muted { "考点 " } (exam.venue) "　"
                                    @for session in &exam.sessions {
                                        br; span.muted { (session.part.label()) " " } (session.sitting.label())
                                        "　" span.muted { "考场 " } b { (session.place) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.muted { "共" (rows.len()) "条记录" }
        div.card.muted {
            p { "待处理：机构尚未审核报名信息，请耐心等待；此时允许修改个人信息及资料；" }
            p { "申请不通过：机构已审阅报考，但审核不予通过；可按原因修改资料后重新提交；" }
            p { "申请通过：机构已审核并通过了报考，此时不允许再修改个人资料及信息，可导出《个人申请表》；" }
            p { "已提交申报：报考已提交备案并已安排考核时间，可导出《个人申请表》、《准考证》；" }
            p { "成绩发布：机构已公示考核最终成绩，可以查看个人本次考核成绩。" }
        }
    }))
    .into_response()
}

fn actions(s: &SignedIn, a: &Application) -> maud::Markup {
    html! {
        @match a.status {
            ApplicationStatus::Pending => { a href="/center" { "修改资料" } }
            ApplicationStatus::Rejected => {
                a href="/center" { "修改资料" } " "
                form method="post" action=(format!("/my/applications/{}/resubmit", a.id)) style="display:inline" {
                    (csrf_field(&s.csrf)) button.button type="submit" { "重新提交" }
                }
            }
            ApplicationStatus::Approved => { a href=(format!("/my/applications/{}/form.pdf", a.id)) { "个人申请表" } }
            ApplicationStatus::Filed => {
                a href=(format!("/my/applications/{}/form.pdf", a.id)) { "个人申请表" } " "
                a href=(format!("/my/applications/{}/ticket.pdf", a.id)) { "准考证" }
            }
            ApplicationStatus::ScoresPublished => {
                a href=(format!("/my/applications/{}/form.pdf", a.id)) { "个人申请表" } " "
                a href=(format!("/my/applications/{}/ticket.pdf", a.id)) { "准考证" } " "
                a href=(format!("/my/applications/{}/scores", a.id)) { "成绩" }
            }
        }
    }
}

async fn resubmit(
    State(app): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refusal) = s.form_refusal(&form.csrf) {
        return refusal;
    }
    let session = s.session.clone();
    let done = app.with_store(move |store| self_service::resubmit(store, &session, id)).await;
    match done {
        Ok(_) => Redirect::to("/my/applications").into_response(),
        Err(e) if e.code() == ErrorCode::NotFound => super::layout::not_found(),
        Err(e) => Html(page(
            "重新提交",
            Some(&s),
            html! { p.error { (explain(&e)) } a href="/my/applications" { "返回我的报名" } },
        ))
        .into_response(),
    }
}

async fn form_pdf(State(app): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> Response {
    document(app, s, id, DocumentKind::ApplicationForm).await
}

async fn ticket_pdf(State(app): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> Response {
    document(app, s, id, DocumentKind::Ticket).await
}

async fn document(app: AppState, s: SignedIn, id: i64, kind: DocumentKind) -> Response {
    let session = s.session.clone();
    let printed = app.with_store(move |store| self_service::own_document(store, &session, id, kind)).await;
    pdf(&s, printed, kind.label())
}

/// The PDF skillcert-core printed (the same as the desktop's), or the refusal in words for the candidate.
fn pdf(s: &SignedIn, printed: skillcert_core::Result<Vec<u8>>, name: &str) -> Response {
    match printed {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename*=UTF-8''{}.pdf", percent(name))),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) if e.code() == ErrorCode::NotFound => super::layout::not_found(),
        Err(e) => {
            Html(page(name, Some(s), html! { p.error { (explain(&e)) } a href="/my/applications" { "返回我的报名" } }))
                .into_response()
        }
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn my_scores(State(app): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> Response {
    let session = s.session.clone();
    let facts = app.with_store(move |store| self_service::own_scores(store, &session, id)).await;
    let Ok(self_service::OwnScores { plan, marks, passed, notice, notice_open }) = facts else {
        return super::layout::not_found();
    };
    let label = |m: Option<skillcert_core::domain::score::Mark>| m.map(|m| m.label()).unwrap_or_else(|| "--".into());
    Html(page("成绩", Some(&s), html! {
        h2 { "成绩：" (plan.occupation) " " (plan.level) }
        table {
            tr { th { "理论知识" } td { (label(marks.theory)) } }
            tr { th { "操作技能" } td { (label(marks.practical)) } }
            @if plan.level.needs_review_panel() { tr { th { "综合评审" } td { (label(marks.review)) } } }
            tr { th { "结果" } td { @match passed { Some(true) => "合格", Some(false) => "不合格", None => "--" } } }
        }
        @if let Some(notice) = notice {
            @if notice_open {
                p.notice data-notice="open" { "成绩公示期：" (notice.label()) "。公示期内如对成绩有异议，请向报考机构申请复核（查分）。" }
            } @else {
                p.muted data-notice="ended" { "成绩公示期（" (notice.label()) "）已结束，以上为最终成绩。" }
            }
        }
        p { a href="/my/applications" { "返回我的报名" } }
    }))
    .into_response()
}

async fn my_certificates(State(app): State<AppState>, s: SignedIn) -> Response {
    let session = s.session.clone();
    let certs = app.with_store(move |store| self_service::own_certificates(store, &session)).await;
    let Ok(certs) = certs else { return super::error_page("无法读取证书") };
    Html(page("我的证书", Some(&s), html! {
        h2 { "我的证书" }
        div.scroll {
            table {
                thead { tr { th { "证书编号" } th { "发证日期" } th { "发证机构" } th { "职业" } th { "工种/职业方向" } th { "等级" } th { "状态" } } }
                tbody {
                    @for c in &certs {
                        tr data-state=(c.state.label()) {
                            // A revoked certificate is listed, not offered for download.
                            @if c.state == CertificateState::Valid {
                                td { a href=(format!("/my/certificates/{}", c.number)) { (c.number) } }
                            } @else {
                                td { (c.number) }
                            }
                            td.nowrap { (c.issued_on) } td { (c.agency_name) } td { (c.occupation) }
                            td { (c.job.as_deref().unwrap_or("--")) } td { (c.level) }
                            td.nowrap { (c.state.label()) @if let Some(on) = c.revoked_on { "（" (on) "）" } }
                        }
                    }
                }
            }
        }
        p.muted { "共" (certs.len()) "条记录" }
    }))
    .into_response()
}

async fn certificate_pdf(State(app): State<AppState>, s: SignedIn, Path(number): Path<String>) -> Response {
    let session = s.session.clone();
    let printed = app.with_store(move |store| self_service::own_certificate_document(store, &session, &number)).await;
    pdf(&s, printed, "职业技能等级证书")
}
