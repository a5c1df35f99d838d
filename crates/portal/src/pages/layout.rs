//! The frame every page shares: a header with the candidate's menu (the seed's 个人中心 / 我的报名 / 我的证书 /
//! 修改密码), one small stylesheet that reads well on a 360-px phone, and the glyphs of any rare name character the
//! page shows.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use skillcert_core::print::fonts;

use super::{SignedIn, csrf_field};

const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font-family:'SkillCert Rare','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#303133;background:#f5f7fa;font-size:15px}
input,select,textarea,button{font-family:inherit}
header{background:#1f5fbf;color:#fff;padding:10px 12px}
header .title{color:#fff;text-decoration:none;font-weight:600;font-size:16px}
nav{margin-top:6px;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:14px}
nav a,nav button{color:#dbe7ff;text-decoration:none;background:none;border:0;padding:0;font:inherit;cursor:pointer}
nav form{display:inline}
main{max-width:960px;margin:0 auto;padding:12px}
h2{font-size:18px;margin:12px 0}
.muted{color:#909399;font-size:13px}
.tag{display:inline-block;padding:0 6px;border:1px solid #e6a23c;border-radius:3px;color:#e6a23c;font-size:12px}
.scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse;background:#fff;font-size:14px}
th,td{border:1px solid #ebeef5;padding:8px 6px;text-align:left;vertical-align:top}
th{background:#f5f7fa;white-space:nowrap}
.nowrap{white-space:nowrap}
.button{display:inline-block;padding:6px 14px;border-radius:4px;background:#409eff;color:#fff;text-decoration:none;border:0;font-size:14px;cursor:pointer}
.button.plain{background:#fff;color:#409eff;border:1px solid #409eff}
.button.disabled{background:#c0c4cc;cursor:not-allowed}
.card{background:#fff;border:1px solid #ebeef5;border-radius:6px;padding:12px;margin-bottom:12px}
.error{background:#fef0f0;color:#f56c6c;padding:8px 12px;border-radius:4px}
.ok{background:#f0f9eb;color:#67c23a;padding:8px 12px;border-radius:4px}
form.stack label{display:block;margin:10px 0 4px;font-size:14px}
form.stack input,form.stack select,form.stack textarea{width:100%;max-width:420px;padding:8px;border:1px solid #dcdfe6;border-radius:4px;font-size:15px}
form.stack .actions{margin-top:14px}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:4px}
.steps{display:flex;gap:6px;flex-wrap:wrap;font-size:14px;margin:8px 0}
.steps span{color:#909399}.steps span.now{color:#409eff;font-weight:600}
ul.checks{list-style:none;padding-left:0;margin:4px 0}ul.checks li{margin:4px 0}
.met{color:#67c23a;font-weight:600}.not-met{color:#f56c6c;font-weight:600}.unknown{color:#e6a23c;font-weight:600}
dl.profile{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:0}
dl.profile dt{color:#909399}dl.profile dd{margin:0}
@media (max-width:600px){th,td{padding:6px 4px;font-size:13px}main{padding:8px}
table.cards thead{display:none}table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards tr{border:1px solid #ebeef5;border-radius:6px;margin-bottom:8px;padding:6px 8px;background:#fff}
table.cards td{border:0;padding:3px 0}table.cards td[data-label]::before{content:attr(data-label) '：';color:#909399}}
";

pub fn page(title: &str, signed_in: Option<&SignedIn>, body: Markup) -> String {
    let body = body.into_string();
    let rare = rare_font_face(&[title, signed_in.map_or("", |s| s.name.as_str()), &body].concat());
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - 职业技能等级认定系统" }
                style { (PreEscaped(STYLE)) (PreEscaped(rare)) }
            }
            body {
                header {
                    a.title href="/" { "职业技能等级认定系统" }
                    nav {
                        a href="/" { "首页" }
                        @if let Some(s) = signed_in {
                            a href="/center" { "个人中心" }
                            a href="/my/applications" { "我的报名" }
                            a href="/my/certificates" { "我的证书" }
                            a href="/center/password" { "修改密码" }
                            form method="post" action="/logout" { (csrf_field(&s.csrf)) button type="submit" { "退出（" (s.name) "）" } }
                        } @else {
                            a href="/login" { "登录" }
                            a href="/register" { "注册" }
                        }
                        a href="/verify" { "证书查询" }
                    }
                }
                main { (PreEscaped(body)) }
            }
        }
    }
    .into_string()
}

/// The @font-face that gives the page's rare name characters (CJK Extension B onwards, which phones' and PCs' fonts
/// often lack) their glyphs: a font of just those characters, at an address made of them, so browsers cache it. It
/// heads the font list (its unicode-range keeps it to those characters): after a CJK font, Chromium draws that
/// font's empty box instead of moving on.
fn rare_font_face(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().filter(|c| fonts::needs_screen_font(*c)).collect();
    chars.sort_unstable();
    chars.dedup();
    if chars.is_empty() {
        return String::new();
    }
    let points: Vec<String> = chars.iter().map(|c| format!("{:x}", u32::from(*c))).collect();
    let range: Vec<String> = chars.iter().map(|c| format!("U+{:X}", u32::from(*c))).collect();
    format!(
        "@font-face{{font-family:'SkillCert Rare';src:url(/fonts/rare/{}.otf) format('opentype');unicode-range:{}}}",
        points.join("-"),
        range.join(",")
    )
}

/// GET /fonts/rare/{points}.otf: the glyphs of the characters named (hex code points joined by '-'), as a font.
pub async fn rare_font(Path(file): Path<String>) -> Response {
    let Some(points) = file.strip_suffix(".otf") else { return not_found() };
    let chars: Option<String> = points
        .split('-')
        .take(MAX_RARE_CHARACTERS + 1)
        .map(|p| u32::from_str_radix(p, 16).ok().and_then(char::from_u32).filter(|c| fonts::needs_screen_font(*c)))
        .collect();
    let Some(chars) = chars.filter(|c| (1..=MAX_RARE_CHARACTERS).contains(&c.chars().count())) else {
        return not_found();
    };
    match tokio::task::spawn_blocking(move || fonts::screen_font(&chars)).await {
        Ok(Ok(bytes)) => ([(CONTENT_TYPE, "font/otf"), (CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes)
            .into_response(),
        _ => not_found(),
    }
}

/// A page's rare characters are a few names' worth; more in one request is not a page asking.
const MAX_RARE_CHARACTERS: usize = 200;

pub fn error_page(message: &str) -> Response {
    let body = page("出错了", None, html! { p.error { (message) } a href="/" { "返回首页" } });
    (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
}

/// The page for something that is not there, or not the candidate's (never saying which).
pub fn not_found() -> Response {
    let body = page("找不到", None, html! { p.error { "找不到这个页面或记录。" } a href="/" { "返回首页" } });
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}
