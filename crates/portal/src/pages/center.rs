//! 用户中心: the candidate's profile (editable while no application is 申请通过 or later), 证件信息 with the photo
//! (checked by content under the seed's rules), and 修改密码.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::html;
use serde::Deserialize;
use skillcert_core::domain::candidate::CandidateDraft;
use skillcert_core::domain::text::month_of;
use skillcert_core::ops::self_service::{self, OwnProfile};

use super::{SignedIn, csrf_field, explain, page};
use crate::AppState;

/// The seed: a photo of at most 1 MB; the form around it adds little.
const PHOTO_UPLOAD_LIMIT: usize = 2 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/center", get(center).post(save_profile))
        .route("/center/photo", get(photo).post(upload_photo).layer(DefaultBodyLimit::max(PHOTO_UPLOAD_LIMIT)))
        .route("/center/password", get(password_form).post(change_password))
}

/// The profile as the form edits it (every field as text).
#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    years_in_occupation: String,
    #[serde(default)]
    prior_cert_name: String,
    #[serde(default)]
    prior_cert_level: String,
    #[serde(default)]
    prior_cert_number: String,
    #[serde(default)]
    prior_cert_date: String,
    #[serde(default)]
    major: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    graduated_on: String,
    #[serde(default)]
    work_started_on: String,
    #[serde(default)]
    title: String,
}

async fn load(app: &AppState, s: &SignedIn) -> skillcert_core::Result<OwnProfile> {
    let session = s.session.clone();
    app.with_store(move |store| self_service::own_profile(store, &session)).await
}

fn center_page(s: &SignedIn, d: &OwnProfile, message: Option<Result<&str, &str>>) -> String {
    let p = &d.candidate.profile;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    page(
        "个人中心",
        Some(s),
        html! {
            h2 { "个人中心" }
            @match message {
                Some(Ok(m)) => p.ok { (m) },
                Some(Err(m)) => p.error { (m) },
                None => {},
            }
            div.card {
                dl.profile {
                    dt { "证件类型" } dd { (p.id_type) }
                    dt { "证件号码" } dd { (p.id_number) }
                    dt { "性别" } dd { (p.sex.map(|x| x.label()).unwrap_or("")) }
                    dt { "出生日期" } dd { (p.birth_date.map(|d| d.to_string()).unwrap_or_default()) }
                }
            }
            @if let Some(status) = &d.locked_by {
                p.muted { "您有报名处于“" (status) "”状态，个人资料已锁定，不能修改；如需更正请联系报考机构。" }
            }
            form.stack.card method="post" action="/center" {
                (csrf_field(&s.csrf))
                fieldset disabled[d.locked_by.is_some()] style="border:0;padding:0;margin:0" {
                    label { "姓名" } input name="name" value=(p.name) required;
                    label { "手机号码" } input name="phone" value=(p.phone) required inputmode="tel";
                    label { "民族" } input name="ethnicity" value=(text(&p.ethnicity));
                    label { "文化程度" } input name="education" value=(text(&p.education));
                    label { "工作单位" } input name="employer" value=(text(&p.employer));
                    label { "通讯地址" } input name="address" value=(text(&p.address));
                    label { "从事本职业年限" } input name="years_in_occupation" value=(p.years_in_occupation.map(|y| y.to_string()).unwrap_or_default()) inputmode="numeric";
                    label { "参加工作时间" } input name="work_started_on" type="month" value=(month_of(p.work_started_on)) placeholder="如：2015-08";
                    label { "职称" } input name="title" value=(text(&p.title)) placeholder="如：助理工程师，没有可不填";
                    h3 { "学历信息" }
                    label { "毕业院校" } input name="school" value=(text(&p.school));
                    label { "所学专业" } input name="major" value=(text(&p.major));
                    label { "毕业时间" } input name="graduated_on" type="month" value=(month_of(p.graduated_on)) placeholder="如：2015-07";
                    h3 { "现有证书（报考等级要求已有证书时填写）" }
                    label { "证书名称（职业）" } input name="prior_cert_name" value=(text(&p.prior_cert_name)) placeholder="如：电工";
                    label { "等级" } input name="prior_cert_level" value=(text(&p.prior_cert_level)) placeholder="如：五级/初级工";
                    label { "证书编号" } input name="prior_cert_number" value=(text(&p.prior_cert_number));
                    label { "取证日期" } input name="prior_cert_date" type="date" value=(p.prior_cert_date.map(|d| d.to_string()).unwrap_or_default());
                    div.actions { button.button type="submit" { "保存个人资料" } }
                }
            }
            div.card {
                h3 { "证件信息" }
                @if d.has_photo { img src="/center/photo" alt="证件照" width="120"; } @else { p.muted { "尚未上传照片" } }
                p.muted { "照片要求：近期免冠一寸白底的电子照片，jpg 或 png 格式，照片文件宽高 500*700 像素以内，文件大小在 1MB 以内；" }
                @if d.locked_by.is_none() {
                    form.stack method="post" action="/center/photo" enctype="multipart/form-data" {
                        (csrf_field(&s.csrf))
                        input type="file" name="photo" accept="image/jpeg,image/png" required;
                        div.actions { button.button type="submit" { "上传照片" } }
                    }
                }
            }
        },
    )
}

async fn center(State(app): State<AppState>, s: SignedIn) -> Response {
    match load(&app, &s).await {
        Ok(d) => Html(center_page(&s, &d, None)).into_response(),
        Err(e) => super::error_page(&explain(&e)),
    }
}

async fn save_profile(State(app): State<AppState>, s: SignedIn, Form(form): Form<ProfileForm>) -> Response {
    if let Some(refusal) = s.form_refusal(&form.csrf) {
        return refusal;
    }
    let edit = CandidateDraft {
        name: form.name,
        phone: form.phone,
        ethnicity: form.ethnicity,
        education: form.education,
        employer: form.employer,
        address: form.address,
        years_in_occupation: form.years_in_occupation,
        prior_cert_name: form.prior_cert_name,
        prior_cert_level: form.prior_cert_level,
        prior_cert_number: form.prior_cert_number,
        prior_cert_date: form.prior_cert_date,
        major: form.major,
        school: form.school,
        graduated_on: form.graduated_on,
        work_started_on: form.work_started_on,
        title: form.title,
        ..Default::default()
    };
    let session = s.session.clone();
    let saved = app.with_store(move |store| self_service::update_own_profile(store, &session, &edit)).await;
    let message = match &saved {
        Ok(_) => Ok("个人资料已保存"),
        Err(e) => Err(explain(e)),
    };
    match load(&app, &s).await {
        Ok(d) => Html(center_page(&s, &d, Some(message.as_ref().map(|m| *m).map_err(String::as_str)))).into_response(),
        Err(e) => super::error_page(&explain(&e)),
    }
}

/// The signed-in candidate's own photo (nobody else's: there is no id in the address).
async fn photo(State(app): State<AppState>, s: SignedIn) -> Response {
    let session = s.session.clone();
    match app.with_store(move |store| self_service::own_photo(store, &session)).await {
        Ok(Some(p)) => {
            let kind =
                if p.format == skillcert_core::domain::photo::PhotoFormat::Png { "image/png" } else { "image/jpeg" };
            ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "private, no-store")], p.image).into_response()
        }
        Ok(None) => super::layout::not_found(),
        Err(e) => super::error_page(&explain(&e)),
    }
}

async fn upload_photo(State(app): State<AppState>, s: SignedIn, mut multipart: Multipart) -> Response {
    let mut csrf = String::new();
    let mut bytes: Option<Vec<u8>> = None;
    // The 报名 flow's step 3 uploads here too and goes back there.
    let mut back: Option<String> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("back") => back = field.text().await.ok().filter(|b| b.starts_with("/apply/")),
                Some("photo") => bytes = field.bytes().await.ok().map(|b| b.to_vec()),
                _ => {}
            },
            Ok(None) => break,
            // Larger than the limit, or a broken upload.
            Err(_) => {
                return show_center(&app, &s, Err("照片文件过大或上传中断：照片应在 1MB 以内，请压缩后重新上传")).await;
            }
        }
    }
    if let Some(refusal) = s.form_refusal(&csrf) {
        return refusal;
    }
    let session = s.session.clone();
    let bytes = bytes.unwrap_or_default();
    let saved = app.with_store(move |store| self_service::set_own_photo(store, &session, bytes)).await;
    match saved {
        Ok(()) if back.is_some() => Redirect::to(back.as_deref().unwrap_or("/center")).into_response(),
        Ok(()) => show_center(&app, &s, Ok("照片已上传")).await,
        Err(e) => show_center(&app, &s, Err(&explain(&e))).await,
    }
}

async fn show_center(app: &AppState, s: &SignedIn, message: Result<&str, &str>) -> Response {
    match load(app, s).await {
        Ok(d) => Html(center_page(s, &d, Some(message))).into_response(),
        Err(e) => super::error_page(&explain(&e)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

fn password_page(s: &SignedIn, message: Option<Result<&str, &str>>) -> String {
    page(
        "修改密码",
        Some(s),
        html! {
            h2 { "修改密码" }
            @match message {
                Some(Ok(m)) => p.ok { (m) },
                Some(Err(m)) => p.error { (m) },
                None => {},
            }
            form.stack.card method="post" action="/center/password" {
                (csrf_field(&s.csrf))
                label { "当前密码" } input type="password" name="current" required autocomplete="current-password";
                label { "新密码（8 到 64 位，含字母和数字）" } input type="password" name="password" required autocomplete="new-password";
                label { "确认新密码" } input type="password" name="password_again" required autocomplete="new-password";
                div.actions { button.button type="submit" { "修改密码" } }
            }
        },
    )
}

async fn password_form(s: SignedIn) -> Response {
    Html(password_page(&s, None)).into_response()
}

async fn change_password(State(app): State<AppState>, s: SignedIn, Form(form): Form<PasswordForm>) -> Response {
    if let Some(refusal) = s.form_refusal(&form.csrf) {
        return refusal;
    }
    let again = |problem: &str| Html(password_page(&s, Some(Err(problem)))).into_response();
    let chosen = match app.choose_password(&form.password, &form.password_again).await {
        Ok(chosen) => chosen,
        Err(e) => return again(&explain(&e)),
    };
    let session = s.session.clone();
    let credentials = match app.with_store(move |store| self_service::own_credentials(store, &session)).await {
        Ok(credentials) => credentials,
        Err(e) => return again(&explain(&e)),
    };
    let current = form.current.clone();
    let verified = match app.hashing(move || credentials.verify(&current)).await {
        Ok(verified) => verified,
        Err(e) => return again(&explain(&e)),
    };
    let (session, keep) = (s.session.clone(), s.cookie.clone());
    let changed = app
        .with_store(move |store| {
            self_service::change_password(store, &session, verified.as_ref(), &chosen, Some(&keep))
        })
        .await;
    match changed {
        Ok(_) => Html(password_page(&s, Some(Ok("密码已修改，其他设备上的登录已退出")))).into_response(),
        Err(e) => again(&explain(&e)),
    }
}
