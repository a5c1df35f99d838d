//! 注册, 登录 (a default account: 证件号码 + its last six characters), the first login's forced password change
//! (which also asks for the name, since the ID alone gives the default password away), and 退出.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;
use skillcert_core::domain::candidate::CandidateDraft;
use skillcert_core::domain::id_number::{IdType, normalize_number};
use skillcert_core::ops::candidates::add_candidate;
use skillcert_core::store::{accounts, candidates};

use super::{
    SESSION_COOKIE, SignedIn, cookie, csrf_field, csrf_ok, forbidden, form_token, page, session_cookie, signed_in,
    with_cookie,
};
use crate::AppState;
use skillcert_core::password;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_form).post(register))
        .route("/login", get(login_form).post(login))
        .route("/first-login", get(first_login_form).post(first_login))
        .route("/logout", post(logout))
}

fn id_type_select(selected: &str) -> Markup {
    html! {
        select name="id_type" {
            @for t in IdType::ALL { option value=(t.label()) selected[t.label() == selected] { (t.label()) } }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

fn register_page(token: &str, form: &RegisterForm, problem: Option<&str>) -> String {
    page(
        "注册",
        None,
        html! {
            h2 { "注册" }
            p.muted { "如报考机构已为您导入个人信息，请直接" a href="/login" { "登录" } "（默认账号为证件号码，默认密码为证件号码后六位）。" }
            @if let Some(p) = problem { p.error { (p) } }
            form.stack.card method="post" action="/register" {
                (csrf_field(token))
                label { "证件类型" } (id_type_select(&form.id_type))
                label { "证件号码" } input name="id_number" value=(form.id_number) required autocomplete="username";
                label { "姓名" } input name="name" value=(form.name) required;
                label { "手机号码" } input name="phone" value=(form.phone) required inputmode="tel";
                label { "登录密码（8 到 64 位，含字母和数字）" } input type="password" name="password" required autocomplete="new-password";
                label { "确认密码" } input type="password" name="password_again" required autocomplete="new-password";
                div.actions { button.button type="submit" { "注册" } }
            }
        },
    )
}

async fn register_form(headers: HeaderMap) -> Response {
    let (token, set) = form_token(&headers);
    with_cookie(Html(register_page(&token, &RegisterForm::default(), None)), set)
}

async fn register(State(app): State<AppState>, headers: HeaderMap, Form(form): Form<RegisterForm>) -> Response {
    let Some(token) = cookie(&headers, super::FORM_COOKIE).filter(|t| csrf_ok(t, &form.csrf)) else {
        return forbidden();
    };
    let again = |problem: &str| Html(register_page(&token, &form, Some(problem))).into_response();
    let number = normalize_number(&form.id_number);
    if let Err(problem) = password::check_new(&form.password, &[&number]) {
        return again(problem);
    }
    if form.password != form.password_again {
        return again("两次输入的密码不一致");
    }
    let draft = CandidateDraft {
        name: form.name.clone(),
        id_type: form.id_type.clone(),
        id_number: form.id_number.clone(),
        phone: form.phone.clone(),
        ..Default::default()
    };
    let password = form.password.clone();
    let created = app
        .with_store(move |store| -> skillcert_core::Result<i64> {
            let id_type = IdType::parse(&draft.id_type)?;
            if candidates::find(store.conn(), id_type, &normalize_number(&draft.id_number))?.is_some() {
                return Err(skillcert_core::Error::Conflict(
                    "该证件号码已注册或已由报考机构导入，请直接登录；机构导入的账号默认密码为证件号码后六位".into(),
                ));
            }
            let candidate = add_candidate(store, &skillcert_core::ops::Session::new("门户注册"), &draft)?;
            accounts::set_password_hash(store.conn(), candidate.id, &password::hash(&password), &now())?;
            Ok(candidate.id)
        })
        .await;
    match created {
        Ok(candidate_id) => start_session(&app, candidate_id, "/center").await,
        Err(e) => again(&e.to_string()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    password: String,
}

fn login_page(token: &str, id_number: &str, problem: Option<&str>) -> String {
    page(
        "登录",
        None,
        html! {
            h2 { "登录" }
            @if let Some(p) = problem { p.error { (p) } }
            form.stack.card method="post" action="/login" {
                (csrf_field(token))
                label { "证件号码" } input name="id_number" value=(id_number) required autocomplete="username";
                label { "密码" } input type="password" name="password" required autocomplete="current-password";
                div.actions { button.button type="submit" { "登录" } " " a href="/register" { "没有账号？注册" } }
            }
            p.muted { "报考机构已提交个人信息的，可使用默认账号登录：账号为证件号码，密码为证件号码后六位；首次登录须修改密码。" }
        },
    )
}

async fn login_form(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if signed_in(&app, &headers).await.is_some() {
        return Redirect::to("/my/applications").into_response();
    }
    let (token, set) = form_token(&headers);
    with_cookie(Html(login_page(&token, "", None)), set)
}

/// Why a login failed, in words that do not tell whether the account exists.
const WRONG: &str = "证件号码或密码错误";

async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(token) = cookie(&headers, super::FORM_COOKIE).filter(|t| csrf_ok(t, &form.csrf)) else {
        return forbidden();
    };
    let number = normalize_number(&form.id_number);
    let again = |problem: &str| Html(login_page(&token, &form.id_number, Some(problem))).into_response();
    if let Some(minutes) = app.limiter.blocked(&number, peer.ip()) {
        return again(&format!("登录失败次数过多，请 {minutes} 分钟后再试"));
    }
    let password = form.password.clone();
    let lookup = number.clone();
    let checked = app
        .with_store(move |store| -> skillcert_core::Result<Option<(i64, bool)>> {
            let found = candidates::find_by_number(store.conn(), &lookup)?;
            let [candidate] = found.as_slice() else { return Ok(None) };
            let ok = match accounts::password_hash(store.conn(), candidate.id)? {
                Some(hash) => password::verify(&password, &hash).then_some(false),
                None => (password.to_uppercase() == accounts::default_password(&lookup)).then_some(true),
            };
            Ok(ok.map(|default| (candidate.id, default)))
        })
        .await;
    match checked {
        Ok(Some((candidate_id, default))) => {
            app.limiter.succeeded(&number);
            start_session(&app, candidate_id, if default { "/first-login" } else { "/my/applications" }).await
        }
        Ok(None) => {
            app.limiter.failed(&number, peer.ip());
            again(WRONG)
        }
        Err(e) => again(&e.to_string()),
    }
}

async fn start_session(app: &AppState, candidate_id: i64, then: &str) -> Response {
    let created = app.with_store(move |store| crate::db::create_session(store.conn(), candidate_id)).await;
    match created {
        Ok(session) => with_cookie(Redirect::to(then), session_cookie(app, &session.cookie, 12 * 3600)),
        Err(e) => super::error_page(&e.to_string()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FirstLoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

fn first_login_page(s: &SignedIn, problem: Option<&str>) -> String {
    page(
        "首次登录",
        Some(s),
        html! {
            h2 { "首次登录：请核对姓名并设置新密码" }
            p.muted { "默认密码由证件号码推算而来，他人也可能知道；请设置只有您知道的新密码。" }
            @if let Some(p) = problem { p.error { (p) } }
            form.stack.card method="post" action="/first-login" {
                (csrf_field(&s.csrf))
                label { "姓名（与报考机构登记的一致）" } input name="name" required;
                label { "新密码（8 到 64 位，含字母和数字）" } input type="password" name="password" required autocomplete="new-password";
                label { "确认新密码" } input type="password" name="password_again" required autocomplete="new-password";
                div.actions { button.button type="submit" { "确定" } }
            }
        },
    )
}

async fn first_login_form(State(app): State<AppState>, headers: HeaderMap) -> Response {
    match signed_in(&app, &headers).await {
        Some(s) if s.must_change_password => Html(first_login_page(&s, None)).into_response(),
        Some(_) => Redirect::to("/my/applications").into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

async fn first_login(State(app): State<AppState>, headers: HeaderMap, Form(form): Form<FirstLoginForm>) -> Response {
    let Some(s) = signed_in(&app, &headers).await else { return Redirect::to("/login").into_response() };
    if !csrf_ok(&s.csrf, &form.csrf) {
        return forbidden();
    }
    if !s.must_change_password {
        return Redirect::to("/my/applications").into_response();
    }
    let again = |problem: &str| Html(first_login_page(&s, Some(problem))).into_response();
    if form.name.split_whitespace().collect::<String>() != s.name.split_whitespace().collect::<String>() {
        return again("姓名与报考机构登记的不一致，请核对；如登记有误请联系报考机构");
    }
    if form.password != form.password_again {
        return again("两次输入的密码不一致");
    }
    let (candidate_id, password) = (s.candidate_id, form.password.clone());
    let set = app
        .with_store(move |store| -> skillcert_core::Result<Result<(), &'static str>> {
            let number = candidates::get(store.conn(), candidate_id)?.profile.id_number;
            if let Err(problem) = password::check_new(&password, &[&number]) {
                return Ok(Err(problem));
            }
            accounts::set_password_hash(store.conn(), candidate_id, &password::hash(&password), &now())?;
            Ok(Ok(()))
        })
        .await;
    match set {
        Ok(Ok(())) => Redirect::to("/center").into_response(),
        Ok(Err(problem)) => again(problem),
        Err(e) => again(&e.to_string()),
    }
}

async fn logout(State(app): State<AppState>, headers: HeaderMap, Form(form): Form<super::CsrfForm>) -> Response {
    if let Some(s) = signed_in(&app, &headers).await {
        if !csrf_ok(&s.csrf, &form.csrf) {
            return forbidden();
        }
        if let Some(token) = cookie(&headers, SESSION_COOKIE) {
            let _ = app.with_store(move |store| crate::db::end_session(store.conn(), &token)).await;
        }
    }
    with_cookie(Redirect::to("/"), session_cookie(&app, "", 0))
}

pub(crate) fn now() -> String {
    skillcert_core::domain::text::now_stamp()
}
