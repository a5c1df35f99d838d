//! skillcert-portal: the public site candidates use (the seed's 职业技能等级认定系统) and the sync API the agency's
//! desktop talks to. Pages are rendered on the server (maud) and work without JavaScript, on a 360-px phone too.
//!
//! Pages parse forms and render; every rule and every read or write is a skillcert-core operation
//! (`ops::self_service` for what a candidate does, `ops::portal` for agencies and sync). The store is a pool of
//! connections to one database, so requests are served side by side; password checks run on their own blocking
//! threads, at most one per core, outside any database work.

mod pages;
mod sync_api;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use skillcert_core::encryption::Keys;
use skillcert_core::ops::self_service::ChosenPassword;
use skillcert_core::{Store, StorePool};
use tokio::sync::Semaphore;

/// A sync batch may carry up to 500 photos (at most 1 MB each, base64).
const SYNC_BODY_LIMIT: usize = 700 * 1024 * 1024;

/// Connections to the database: enough for every core's request plus the ones waiting on a write.
const POOL_SIZE: usize = 8;

#[derive(Clone)]
pub struct AppState {
    pool: Arc<StorePool>,
    /// Password hashing (argon2, ~20 ms of one core each) is limited to one per core, so pages keep a core's share.
    hashing: Arc<Semaphore>,
    /// Cookies only over HTTPS (behind a TLS proxy in production).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn open(db: &Path, secure_cookies: bool) -> skillcert_core::Result<AppState> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(AppState {
            pool: Arc::new(StorePool::open(db, &Keys::from_env()?, POOL_SIZE)?),
            hashing: Arc::new(Semaphore::new(cores)),
            secure_cookies,
        })
    }

    /// Runs `f` with a store on a blocking thread (SQLite never holds up the async workers).
    pub async fn with_store<T, E>(&self, f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<skillcert_core::Error> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        tokio::task::spawn_blocking(move || pool.with(f)).await.unwrap_or_else(|_| Err(E::from(internal())))
    }

    /// A password the candidate chose and typed again, checked and hashed on a hashing thread.
    pub async fn choose_password(&self, password: &str, again: &str) -> skillcert_core::Result<ChosenPassword> {
        let (password, again) = (password.to_string(), again.to_string());
        self.hashing(move || ChosenPassword::new(&password, &again)).await?
    }

    /// Runs CPU-heavy password work on a blocking thread, at most one per core, holding no store.
    pub async fn hashing<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> skillcert_core::Result<T> {
        let _permit = self.hashing.acquire().await.map_err(|_| internal())?;
        tokio::task::spawn_blocking(f).await.map_err(|_| internal())
    }
}

fn internal() -> skillcert_core::Error {
    skillcert_core::Error::Io(std::io::Error::other("请求处理失败，请稍后重试"))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .route("/api/v1/sync/pull", get(sync_api::pull))
        .route("/api/v1/sync/push", post(sync_api::push).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT)))
        .with_state(state)
}
