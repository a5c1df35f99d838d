//! The candidate-facing pages. Each is plain HTML with a small stylesheet: readable on a 360-px phone (the seed
//! opens the portal inside WeChat) and usable without JavaScript. Every form carries a CSRF token; every page that
//! shows a candidate's data checks it is the signed-in candidate's.

mod apply;
mod auth;
mod center;
mod layout;
mod mine;
mod verify;

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use skillcert_core::domain::plan::Registration;
use skillcert_core::ops::Session;
use skillcert_core::ops::plans::{PlanSummary, list_plans};
use skillcert_core::ops::self_service::{self, SignedInCandidate};

use crate::AppState;
pub(crate) use layout::{error_page, page};
use skillcert_core::ops::portal::random_token;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/fonts/rare/{file}", get(layout::rare_font))
        .merge(auth::routes())
        .merge(center::routes())
        .merge(apply::routes())
        .merge(mine::routes())
        .merge(verify::routes())
}

const SESSION_COOKIE: &str = "sc_session";
const FORM_COOKIE: &str = "sc_form";

/// 首页: 职业技能报考信息, the seed's table of published plans; 报名 is grey once registration is not open.
async fn home(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = signed_in(&app, &headers).await;
    let plans = app.with_store(|store| list_plans(store, &Session::new("门户"))).await;
    match plans {
        Ok(plans) => Html(page(
            "职业技能报考信息",
            signed_in.as_ref(),
            html! {
                h2 { "职业技能报考信息" }
                p.muted { "公示信息" }
                div {
                    table.plans.cards {
                        thead { tr { th { "职业(工种/职业方向)" } th { "等级" } th { "报名起止时间" } th { "计划考试日期" } th { "操作" } } }
                        tbody {
                            @for p in plans.iter().filter(|p| !p.plan.closed || p.registration != Registration::Closed) { (plan_row(p)) }
                            @if plans.is_empty() { tr { td colspan="5" { "暂无报考计划" } } }
                        }
                    }
                }
                p.muted { "注：报名按钮为灰色的，代表报考已截止，系统不再接受新报考；" }
            },
        ))
        .into_response(),
        Err(e) => error_page(&explain(&e)),
    }
}

fn plan_row(p: &PlanSummary) -> Markup {
    let plan = &p.plan;
    html! {
        tr {
            td data-label="职业(工种/职业方向)" { (plan.occupation) "/" (plan.job.as_deref().unwrap_or("--")) }
            td data-label="等级" { (plan.level) }
            td.nowrap data-label="报名起止时间" { (plan.reg_start) "~" (plan.reg_end) }
            td.nowrap data-label="计划考试日期" { (plan.exam_date) }
            td {
                @if p.registration == Registration::Open { a.button href=(format!("/plans/{}", plan.id)) { "报名" } }
                @else { span.button.disabled title=(p.registration.label()) { "报名" } }
            }
        }
    }
}

/// A core error in a candidate's words: the message, and what the candidate can do where core names a remedy (an
/// operator's remedy becomes "ask the agency").
pub(crate) fn explain(e: &skillcert_core::Error) -> String {
    use skillcert_core::error::Fix;
    let hint = match e.fix() {
        None => return e.to_string(),
        Some(Fix::UploadPhoto) => "请在个人中心上传照片；报名审核通过后照片不能再自行更换，请联系报考机构",
        Some(Fix::AllowPhotoFix) => "请把照片裁剪、缩小到 500×700 像素、1MB 以内后重新上传",
        Some(_) => "请联系报考机构处理",
    };
    format!("{e}。{hint}")
}

/// A signed-in candidate (core's [`SignedInCandidate`]: their session, name and CSRF token) and the cookie of the
/// web session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub candidate: SignedInCandidate,
    pub cookie: String,
}

impl std::ops::Deref for SignedIn {
    type Target = SignedInCandidate;

    fn deref(&self) -> &SignedInCandidate {
        &self.candidate
    }
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name && !value.is_empty()).then(|| value.to_string())
    })
}

pub(crate) async fn signed_in(app: &AppState, headers: &HeaderMap) -> Option<SignedIn> {
    let token = cookie(headers, SESSION_COOKIE)?;
    let cookie = token.clone();
    let candidate = app.with_store(move |store| self_service::signed_in(store, &token)).await.ok().flatten()?;
    Some(SignedIn { candidate, cookie })
}

/// A handler that takes a `SignedIn` gets the signed-in candidate; anyone else is sent to 登录 (or to 修改密码 while
/// the default password is in force).
impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        match signed_in(app, &parts.headers).await {
            Some(s) if s.must_change_password => Err(Redirect::to("/first-login").into_response()),
            Some(s) => Ok(s),
            None => Err(Redirect::to("/login").into_response()),
        }
    }
}

impl SignedIn {
    /// The refusal for a form of this candidate's whose CSRF token does not match; None when it matches.
    pub(crate) fn form_refusal(&self, csrf: &str) -> Option<Response> {
        (!csrf_ok(&self.csrf, csrf)).then(forbidden)
    }
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Debug, Default, serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Constant-time comparison of a form's CSRF token with the expected one.
pub(crate) fn csrf_ok(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && !expected.is_empty()
        && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A page answering a form without a valid token.
pub(crate) fn forbidden() -> Response {
    let body = page(
        "请求无效",
        None,
        html! { p.error { "页面已过期或请求来源无效，请返回上一页刷新后重试。" } a href="/" { "返回首页" } },
    );
    (axum::http::StatusCode::FORBIDDEN, Html(body)).into_response()
}

/// The token for forms shown before signing in (login, register): kept in a cookie and repeated in the form.
pub(crate) fn form_token(headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, FORM_COOKIE) {
        Some(token) => (token, None),
        None => {
            let token = random_token();
            let header = HeaderValue::from_str(&format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"));
            (token, header.ok())
        }
    }
}

pub(crate) fn with_cookie(response: impl IntoResponse, cookie: Option<HeaderValue>) -> Response {
    let mut response = response.into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

pub(crate) fn session_cookie(app: &AppState, token: &str, max_age_seconds: i64) -> Option<HeaderValue> {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    ))
    .ok()
}

/// The hidden field every form carries.
pub(crate) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; sc_session=abc; b=2"));
        assert_eq!(cookie(&headers, "sc_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn csrf_tokens_must_match_exactly() {
        assert!(csrf_ok("abc", "abc"));
        assert!(!csrf_ok("abc", "abd"));
        assert!(!csrf_ok("abc", "ab"));
        assert!(!csrf_ok("", ""));
    }
}
