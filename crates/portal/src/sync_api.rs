//! The sync API (docs/sync-protocol.md): the only thing an agency token opens, and only to that agency's data.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use skillcert_core::ErrorCode;
use skillcert_core::ops::portal;
use skillcert_core::sync::{self, Batch};

use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    since: i64,
    #[serde(default)]
    limit: Option<usize>,
}

/// The portal's changes (candidates' registrations, edits, photos, applications, payments) after `since` that the
/// token's agency may see.
pub async fn pull(State(app): State<AppState>, headers: HeaderMap, Query(q): Query<PullQuery>) -> Response {
    let token = bearer(&headers);
    let limit = q.limit.unwrap_or(sync::BATCH_LIMIT);
    respond(app.with_store(move |store| portal::pull(store, &token, q.since, limit)).await)
}

/// Applies the agency's changes to its own plans; the answer says what was applied and what the rules kept out.
pub async fn push(State(app): State<AppState>, headers: HeaderMap, Json(batch): Json<Batch>) -> Response {
    let token = bearer(&headers);
    respond(app.with_store(move |store| portal::push(store, &token, &batch)).await)
}

/// The token of `Authorization: Bearer <token>`; empty when there is none (refused by core).
fn bearer(headers: &HeaderMap) -> String {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string()
}

fn respond<T: serde::Serialize>(result: skillcert_core::Result<T>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => {
            let status = match e.code() {
                ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
                ErrorCode::Refused | ErrorCode::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let message = match e.code() {
                ErrorCode::Unauthorized => {
                    "机构令牌无效：请在门户服务器上运行 skillcert-portal agency add 机构名称 获取令牌".to_string()
                }
                _ => e.to_string(),
            };
            (status, Json(serde_json::json!({"code": e.code(), "message": message}))).into_response()
        }
    }
}
