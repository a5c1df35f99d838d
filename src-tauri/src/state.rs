//! Where the database is and the one connection to it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use skillcert_core::import::ImportResult;
use skillcert_core::ops::Session;
use skillcert_core::ops::scores::ScoreColumn;
use skillcert_core::store::Store;
use tauri::{AppHandle, Manager};

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    /// One connection (Send, not Sync) behind a mutex, used from blocking worker threads.
    store: Arc<Mutex<Store>>,
    pub db_path: PathBuf,
    pub jobs: Jobs,
    /// The last import's outcome with its rejected rows, until the operator saves the report or imports again.
    last_import: Arc<Mutex<Option<LastImport>>>,
    /// A portal token kept for this run only (no keychain on this computer): (portal address, token).
    session_token: Mutex<Option<(String, String)>>,
}

/// An import whose report of rejected rows can still be saved.
pub enum LastImport {
    Candidates(ImportResult),
    Scores(ImportResult<ScoreColumn>),
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Result<Self, skillcert_core::Error> {
        let store = Store::open_or_create(&db_path)?;
        Ok(AppState {
            store: Arc::new(Mutex::new(store)),
            db_path,
            jobs: Jobs::default(),
            last_import: Arc::default(),
            session_token: Mutex::default(),
        })
    }

    pub fn keep_import(&self, result: LastImport) {
        if let Ok(mut last) = self.last_import.lock() {
            *last = Some(result);
        }
    }

    pub fn keep_session_token(&self, url: String, token: String) {
        if let Ok(mut kept) = self.session_token.lock() {
            *kept = Some((url, token));
        }
    }

    pub fn session_token(&self) -> Option<(String, String)> {
        self.session_token.lock().ok().and_then(|kept| kept.clone())
    }

    pub fn last_import(&self) -> Arc<Mutex<Option<LastImport>>> {
        Arc::clone(&self.last_import)
    }

    /// Runs `f` with the store on a blocking worker thread, so the UI thread never waits on SQLite.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Session) -> skillcert_core::Result<T> + Send + 'static,
    ) -> CommandResult<T> {
        let store = Arc::clone(&self.store);
        tauri::async_runtime::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| CommandError::internal("数据库连接已失效，请重启程序"))?;
            f(&mut store, &session()).map_err(CommandError::from)
        })
        .await
        .map_err(CommandError::internal)?
    }
}

/// Cancel flags of the running long jobs, by the id the UI gave each.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<u32, Arc<AtomicBool>>>);

impl Jobs {
    /// Registers a job; the flag is set by [`Jobs::cancel`]. A job id used again replaces the old flag.
    pub fn start(&self, job: u32) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        if let Ok(mut jobs) = self.0.lock() {
            // Finished jobs are dropped here rather than tracked: only their owners still hold their flags.
            jobs.retain(|_, f| Arc::strong_count(f) > 1);
            jobs.insert(job, Arc::clone(&flag));
        }
        flag
    }

    pub fn cancel(&self, job: u32) {
        if let Some(flag) = self.0.lock().ok().and_then(|jobs| jobs.get(&job).cloned()) {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// Until operator accounts exist, changes made in the app are attributed to the desktop user.
fn session() -> Session {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
    Session::new(format!("桌面端:{user}"))
}

/// `--db PATH` or SKILLCERT_DB (the demo and tests use these); otherwise skillcert.db in the platform's app-data
/// directory, so a real operator's data never mixes with the demo's.
pub fn database_path(app: &AppHandle) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from).ok_or_else(|| "--db needs a path".into());
        }
    }
    if let Some(path) = std::env::var_os("SKILLCERT_DB") {
        return Ok(PathBuf::from(path));
    }
    Ok(app.path().app_data_dir()?.join("skillcert.db"))
}
