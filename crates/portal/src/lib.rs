//! skillcert-portal: the public site candidates use (the seed's 职业技能等级认定系统) and the sync API the agency's
//! desktop talks to. Pages are rendered on the server (maud) and work without JavaScript, on a 360-px phone too.
//!
//! The storage is skillcert-core's store (the same SQLite schema as the desktop), reached only through
//! [`AppState::with_store`]: a server database would replace that one place.

pub mod db;
mod pages;
pub mod security;
mod sync_api;

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use skillcert_core::encryption::Keys;
use skillcert_core::store::Store;

/// A sync batch may carry up to 500 photos (at most 1 MB each, base64).
const SYNC_BODY_LIMIT: usize = 700 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    pub limiter: Arc<security::LoginLimiter>,
    /// Cookies only over HTTPS (behind a TLS proxy in production).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn open(db: &Path, secure_cookies: bool) -> skillcert_core::Result<AppState> {
        Ok(AppState {
            store: Arc::new(Mutex::new(Store::open_or_create(db, &Keys::from_env()?)?)),
            limiter: Arc::default(),
            secure_cookies,
        })
    }

    /// Runs `f` with the store on a blocking thread (SQLite and argon2 never hold up the async workers).
    pub async fn with_store<T, E>(&self, f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<skillcert_core::Error> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let internal = |why: &str| E::from(skillcert_core::Error::Io(std::io::Error::other(why.to_string())));
        tokio::task::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| internal("数据库连接已失效，请重启门户"))?;
            f(&mut store)
        })
        .await
        .unwrap_or_else(|_| Err(internal("请求处理失败")))
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .route("/api/v1/sync/pull", get(sync_api::pull))
        .route("/api/v1/sync/push", post(sync_api::push).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT)))
        .with_state(state)
}
