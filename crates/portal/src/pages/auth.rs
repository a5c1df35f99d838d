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
use skillcert_core::domain::id_number::IdType;
use skillcert_core::ops::portal::{SESSION_HOURS, WebSession};
use skillcert_core::ops::self_service;

use super::{
    SignedIn, cookie, csrf_field, csrf_ok, explain, forbidden, form_token, page, session_cookie, signed_in, with_cookie,
};
use crate::AppState;

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
    let draft = CandidateDraft {
        name: form.name.clone(),
        id_type: form.id_type.clone(),
        id_number: form.id_number.clone(),
        phone: form.phone.clone(),
        ..Default::default()
    };
    let chosen = match app.choose_password(&form.password, &form.password_again).await {
        Ok(chosen) => chosen,
        Err(e) => return again(&explain(&e)),
    };
    match app.with_store(move |store| self_service::register(store, &draft, &chosen)).await {
        Ok(web) => with_session(&app, &web, "/center"),
        Err(e) => again(&explain(&e)),
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
    let again = |problem: &str| Html(login_page(&token, &form.id_number, Some(problem))).into_response();
    // Reading the account (and the sign-in limits) is quick; checking the password (argon2, as long for a login
    // nobody has) runs apart, holding no database connection.
    let (login, address) = (form.id_number.clone(), peer.ip().to_string());
    let credentials = match app.with_store(move |store| self_service::credentials(store, &login, &address)).await {
        Ok(credentials) => credentials,
        Err(e) => return again(&explain(&e)),
    };
    let password = form.password.clone();
    let (verified, credentials) = match app.hashing(move || (credentials.verify(&password), credentials)).await {
        Ok(checked) => checked,
        Err(e) => return again(&explain(&e)),
    };
    let Some(verified) = verified else {
        let _ = app.with_store(move |store| self_service::sign_in_failed(store, &credentials)).await;
        return again(WRONG);
    };
    match app.with_store(move |store| self_service::start_session(store, &verified)).await {
        Ok((web, must_change)) => {
            with_session(&app, &web, if must_change { "/first-login" } else { "/my/applications" })
        }
        Err(e) => again(&explain(&e)),
    }
}

/// Sends the browser on to `then` with the new session's cookie.
fn with_session(app: &AppState, web: &WebSession, then: &str) -> Response {
    with_cookie(Redirect::to(then), session_cookie(app, &web.cookie, SESSION_HOURS * 3600))
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
    let chosen = match app.choose_password(&form.password, &form.password_again).await {
        Ok(chosen) => chosen,
        Err(e) => return again(&explain(&e)),
    };
    let (session, name) = (s.session.clone(), form.name.clone());
    match app.with_store(move |store| self_service::first_login(store, &session, &name, &chosen)).await {
        Ok(()) => Redirect::to("/center").into_response(),
        Err(e) => again(&explain(&e)),
    }
}

async fn logout(State(app): State<AppState>, headers: HeaderMap, Form(form): Form<super::CsrfForm>) -> Response {
    if let Some(s) = signed_in(&app, &headers).await {
        if !csrf_ok(&s.csrf, &form.csrf) {
            return forbidden();
        }
        let _ = app.with_store(move |store| self_service::sign_out(store, &s.cookie)).await;
    }
    with_cookie(Redirect::to("/"), session_cookie(&app, "", 0))
}
