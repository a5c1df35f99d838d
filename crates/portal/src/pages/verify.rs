//! 证书查询: public verification by 证书编号 + 姓名 (the address a certificate's QR code opens, `?no=` filled in).
//! It shows only what the certificate itself shows, with the 证件号码 partly hidden.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::html;
use serde::Deserialize;
use skillcert_core::ops::self_service::{self, VerifiedCertificate};
use skillcert_core::rows::CertificateState;

use super::{page, signed_in};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/verify", get(verify))
}

#[derive(Debug, Default, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    no: String,
    #[serde(default)]
    name: String,
}

async fn verify(State(app): State<AppState>, headers: HeaderMap, Query(q): Query<VerifyQuery>) -> Response {
    let signed = signed_in(&app, &headers).await;
    let number = q.no.trim().to_uppercase();
    let name = q.name.trim().to_string();
    let found: Option<Option<VerifiedCertificate>> = if number.is_empty() || name.is_empty() {
        None
    } else {
        let (n, who) = (number.clone(), name.clone());
        Some(app.with_store(move |store| self_service::verify_certificate(store, &n, &who)).await.unwrap_or(None))
    };
    let body = html! {
        h2 { "证书查询" }
        form.stack.card method="get" action="/verify" {
            label { "证书编号" } input name="no" value=(number) required;
            label { "姓名" } input name="name" value=(name) required;
            div.actions { button.button type="submit" { "查询" } }
        }
        @match &found {
            Some(Some(c)) => div.card data-verified=(if c.state == CertificateState::Valid { "yes" } else { "revoked" }) {
                @if c.state == CertificateState::Valid {
                    p.ok { "查询结果：证书有效" }
                } @else {
                    p.error {
                        "查询结果：证书已作废"
                        @if let Some(on) = c.revoked_on { "（" (on) " 作废）" }
                        "，不能作为取得该职业技能等级的证明。"
                    }
                }
                dl.profile {
                    dt { "姓名" } dd { (c.name) }
                    dt { "证件类型" } dd { (c.id_type) }
                    dt { "证件号码" } dd { (c.id_number_masked) }
                    dt { "职业名称" } dd { (c.occupation) }
                    dt { "工种/职业方向" } dd { (c.job.as_deref().unwrap_or("--")) }
                    dt { "职业技能等级" } dd { (c.level) }
                    dt { "证书编号" } dd { (c.number) }
                    dt { "发证日期" } dd { (c.issued_on) }
                    dt { "评价机构" } dd { (c.agency_name) }
                }
            },
            Some(None) => p.error data-verified="no" { "未查询到该证书：请核对证书编号和姓名（姓名须与证书一致）。" },
            None => p.muted { "请输入证书上的证书编号和姓名。" },
        }
    };
    Html(page("证书查询", signed.as_ref(), body)).into_response()
}
