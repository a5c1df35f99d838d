//! The frame every page shares: a header with the candidate's menu (the seed's 个人中心 / 我的报名 / 我的证书 /
//! 修改密码), and one small stylesheet that reads well on a 360-px phone.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{SignedIn, csrf_field};

const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#303133;background:#f5f7fa;font-size:15px}
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
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - 职业技能等级认定系统" }
                style { (PreEscaped(STYLE)) }
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
                main { (body) }
            }
        }
    }
    .into_string()
}

pub fn error_page(message: &str) -> Response {
    let body = page("出错了", None, html! { p.error { (message) } a href="/" { "返回首页" } });
    (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
}

/// The page for something that is not there, or not the candidate's (never saying which).
pub fn not_found() -> Response {
    let body = page("找不到", None, html! { p.error { "找不到这个页面或记录。" } a href="/" { "返回首页" } });
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}
