//! 报名: the plan's notice (with 报名识别码 and 计划号), then the seed's three steps — 1.确认报名须知 > 2.填写报名信息 >
//! 3.上传证件信息 — and 报名成功 — 请耐心等待审核结果.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use skillcert_core::domain::candidate::Profile;
use skillcert_core::domain::eligibility::{Evaluation, Outcome, Verdict};
use skillcert_core::domain::plan::Registration;
use skillcert_core::ops::plans::{PlanSummary, show_plan};
use skillcert_core::ops::self_service::{self, ApplyKind, ApplyPreview};

use super::{SignedIn, csrf_field, explain, page, signed_in};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}", get(notice))
        .route("/apply/{id}/{step}", get(step))
        .route("/apply/{id}", post(submit))
}

async fn plan(app: &AppState, id: i64) -> Option<PlanSummary> {
    app.with_store(move |store| show_plan(store, &skillcert_core::ops::Session::new("门户"), id)).await.ok()
}

/// The seed's 职业技能等级认定计划 notice.
async fn notice(State(app): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let signed = signed_in(&app, &headers).await;
    let Some(p) = plan(&app, id).await else { return super::layout::not_found() };
    let plan = &p.plan;
    let body = html! {
        h2 { "职业技能等级认定计划" }
        div.card {
            p { "我单位拟于" b { (plan.exam_date) } "开展职业技能等级认定考试，现将本次认定考试的具体内容公告如下：" }
            p { "职业：" (plan.occupation) br; "工种：" (plan.job.as_deref().unwrap_or("——")) br; "认定级别：" (plan.level) br; "报考条件：" }
            p style="white-space:pre-wrap" { (plan.conditions) }
            p { "本次认定考试报名起止日期为" b { (plan.reg_start) "~" (plan.reg_end) } "，逾期不再接受报名。特此公告！" }
            p style="text-align:right" { (plan.publisher) br; (plan.announced_on) }
        }
        p.muted { "提示：报名前请核对是否是自己要报名的认定公告。当前认定公告报名识别码为：" b { (plan.code) } "，计划号为：" b { (plan.plan_no) } }
        @if p.registration == Registration::Open {
            a.button href=(format!("/apply/{id}/1")) { "报名" }
        } @else {
            span.button.disabled { "报名（" (p.registration.label()) "）" }
        }
    };
    Html(page("认定计划", signed.as_ref(), body)).into_response()
}

fn steps(now: u8) -> Markup {
    html! {
        div.steps {
            @for (i, label) in ["1.确认报名须知", "2.填写报名信息", "3.上传证件信息"].iter().enumerate() {
                @if i > 0 { span { ">" } }
                span.now[i as u8 + 1 == now] { (label) }
            }
        }
    }
}

async fn step(State(app): State<AppState>, s: SignedIn, Path((id, step)): Path<(i64, u8)>) -> Response {
    let Some(p) = plan(&app, id).await else { return super::layout::not_found() };
    if p.registration != Registration::Open {
        return closed(&s, &p);
    }
    let session = s.session.clone();
    let preview = app.with_store(move |store| self_service::apply_preview(store, &session, id)).await;
    let Ok(ApplyPreview { candidate, has_photo, check, resit, .. }) = preview else {
        return super::error_page("无法读取个人资料");
    };
    let plan = &p.plan;
    let body = match step {
        1 => html! {
            h2 { "报名：" (plan.occupation) " " (plan.level) }
            (steps(1))
            div.card { h3 { "报名须知" } p style="white-space:pre-wrap" { @if plan.notice.is_empty() { "无" } @else { (plan.notice) } } }
            p.muted { "请确认自己符合报考条件后再进行报名，避免违规报考。" }
            a.button href=(format!("/apply/{id}/2")) { "下一步" }
        },
        2 => {
            let c = &candidate.profile;
            html! {
                h2 { "报名：" (plan.occupation) " " (plan.level) }
                (steps(2))
                div.card {
                    p.muted { "请再次确认个人信息，确保真实准确。" }
                    dl.profile {
                        dt { "姓名" } dd { (c.name) }
                        dt { "证件" } dd { (c.id_type) " " (c.id_number) }
                        dt { "手机号码" } dd { (c.phone) }
                        dt { "文化程度" } dd { (c.education.clone().unwrap_or_default()) }
                        dt { "工作单位" } dd { (c.employer.clone().unwrap_or_default()) }
                        dt { "从事本职业年限" } dd { (c.years_in_occupation.map(|y| format!("{y} 年")).unwrap_or_default()) }
                        dt { "现有证书" } dd { (prior_certificate(c)) }
                    }
                    p { a href="/center" { "修改个人资料" } }
                }
                @if let Some(check) = &check { (eligibility_card(check)) }
                a.button.plain href=(format!("/apply/{id}/1")) { "上一步" } " "
                a.button href=(format!("/apply/{id}/3")) { "下一步" }
            }
        }
        3 => html! {
            h2 { "报名：" (plan.occupation) " " (plan.level) }
            (steps(3))
            div.card {
                @if has_photo { p.ok { "已上传照片" } img src="/center/photo" alt="证件照" width="120"; }
                @else { p.error { "请先上传照片" } }
                p.muted { "照片要求：近期免冠一寸白底的电子照片，jpg 或 png 格式，照片文件宽高 500*700 像素以内，文件大小在 1MB 以内；" }
                form.stack method="post" action="/center/photo" enctype="multipart/form-data" {
                    (csrf_field(&s.csrf))
                    input type="hidden" name="back" value=(format!("/apply/{id}/3"));
                    input type="file" name="photo" accept="image/jpeg,image/png" required;
                    div.actions { button.button.plain type="submit" { @if has_photo { "更换照片" } @else { "上传照片" } } }
                }
            }
            form method="post" action=(format!("/apply/{id}")) {
                (csrf_field(&s.csrf))
                // 补考: offered when an earlier failed result of this occupation and level keeps a passed part.
                @if let Some(resit) = &resit {
                    div.card data-resit="offered" {
                        h3 { "考试类型" }
                        label { input type="radio" name="kind" value="resit" checked; " 补考：" (resit) "，只考未通过的科目" }
                        br;
                        label { input type="radio" name="kind" value="new"; " 新考：全部科目重新考核" }
                    }
                }
                a.button.plain href=(format!("/apply/{id}/2")) { "上一步" } " "
                button.button type="submit" disabled[!has_photo] { "确认报名" }
            }
        },
        _ => return super::layout::not_found(),
    };
    Html(page("报名", Some(&s), body)).into_response()
}

fn prior_certificate(c: &Profile) -> String {
    let parts = [
        c.prior_cert_name.clone(),
        c.prior_cert_level.clone(),
        c.prior_cert_number.clone(),
        c.prior_cert_date.map(|d| d.to_string()),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// 报考条件自查: what the plan's rules say of the candidate's data, condition by condition. Advice only: the agency's
/// review decides.
fn eligibility_card(check: &Evaluation) -> Markup {
    let mark = |o: Outcome| match o {
        Outcome::Met => ("met", "✓"),
        Outcome::NotMet => ("not-met", "✗"),
        Outcome::Unknown => ("unknown", "?"),
    };
    let class = match check.verdict {
        Verdict::Eligible => "met",
        Verdict::NotEligible => "not-met",
        Verdict::NeedsReview => "unknown",
    };
    html! {
        div.card data-verdict=(check.verdict.label()) {
            h3 { "报考条件自查：" span class=(class) { (check.verdict.label()) } }
            p.muted { "根据您的个人资料初步核验，仅供参考，最终以评价机构审核为准。资料不全时请先完善个人资料。" }
            @for path in &check.paths {
                p { b { (path.label) } }
                ul.checks {
                    @for c in &path.checks {
                        @let (class, sign) = mark(c.outcome);
                        li {
                            span class=(class) { (sign) } " " (c.condition)
                            // A condition only a person can check has nothing more to say than itself.
                            @if c.detail != c.condition { br; small.muted { (c.detail) } }
                        }
                    }
                }
            }
        }
    }
}

fn closed(s: &SignedIn, p: &PlanSummary) -> Response {
    let body = html! { p.error { "该计划当前" (p.registration.label()) "，不接受报名。" } a href="/" { "返回首页" } };
    Html(page("报名", Some(s), body)).into_response()
}

/// The confirmed application: its CSRF token and, when 补考 was offered, the kind chosen.
#[derive(serde::Deserialize)]
struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
}

async fn submit(
    State(app): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ApplyForm>,
) -> Response {
    if let Some(refusal) = s.form_refusal(&form.csrf) {
        return refusal;
    }
    let Some(p) = plan(&app, id).await else { return super::layout::not_found() };
    if p.registration != Registration::Open {
        return closed(&s, &p);
    }
    let session = s.session.clone();
    let kind = if form.kind == "resit" { ApplyKind::Resit } else { ApplyKind::New };
    let applied = app.with_store(move |store| self_service::apply(store, &session, id, kind)).await;
    match applied {
        Ok((_, check)) => Html(page(
            "报名成功",
            Some(&s),
            html! {
                div.card style="text-align:center" {
                    h2 { "报名成功" }
                    p { "请耐心等待审核结果" }
                    a.button href="/my/applications" { "查看我的报名" }
                }
                @if let Some(check) = &check { (eligibility_card(check)) }
            },
        ))
        .into_response(),
        Err(e) => Html(page(
            "报名",
            Some(&s),
            html! {
                p.error { (explain(&e)) }
                a.button.plain href=(format!("/apply/{id}/3")) { "返回" }
            },
        ))
        .into_response(),
    }
}
