//! The sync API (docs/sync-protocol.md): the only thing an agency token opens.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use skillcert_core::ops::Session;
use skillcert_core::sync::{self, ApplyReport, Batch, Side};

use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    since: i64,
    #[serde(default)]
    limit: Option<usize>,
}

/// The portal's changes (candidates' registrations, edits, photos, applications, payments) after `since`.
pub async fn pull(State(app): State<AppState>, headers: HeaderMap, Query(q): Query<PullQuery>) -> Response {
    let limit = q.limit.unwrap_or(sync::BATCH_LIMIT);
    let result = app
        .with_store(move |store| {
            authorize(store, &headers)?;
            sync::collect(store.conn(), Side::Portal, q.since, limit).map_err(ApiError::from)
        })
        .await;
    respond(result)
}

/// Applies the agency's changes; the answer says what was applied and what the rules kept out.
pub async fn push(State(app): State<AppState>, headers: HeaderMap, Json(batch): Json<Batch>) -> Response {
    let result = app
        .with_store(move |store| -> Result<ApplyReport, ApiError> {
            let agency = authorize(store, &headers)?;
            let session = Session::new(format!("机构同步:{agency}"));
            sync::apply(store, &session, Side::Agency, &batch).map_err(ApiError::from)
        })
        .await;
    respond(result)
}

/// `Authorization: Bearer <token>` of an agency added with `skillcert-portal agency add`.
fn authorize(store: &skillcert_core::store::Store, headers: &HeaderMap) -> Result<String, ApiError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    crate::db::agency_of_token(store.conn(), token)?.ok_or(ApiError::Unauthorized)
}

pub enum ApiError {
    Unauthorized,
    Core(skillcert_core::Error),
}

impl From<skillcert_core::Error> for ApiError {
    fn from(e: skillcert_core::Error) -> Self {
        ApiError::Core(e)
    }
}

fn respond<T: serde::Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(ApiError::Unauthorized) => (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"code": "unauthorized", "message": "机构令牌无效：请在门户上运行 skillcert-portal agency add 获取令牌"})),
        )
            .into_response(),
        Err(ApiError::Core(e)) => {
            let status = match e.code() {
                skillcert_core::ErrorCode::Refused | skillcert_core::ErrorCode::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, Json(serde_json::json!({"code": e.code(), "message": e.to_string()}))).into_response()
        }
    }
}
