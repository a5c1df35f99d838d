//! Where the database is and the one connection to it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};

use skillcert_core::encryption::{self, Keys};
use skillcert_core::import::ImportResult;
use skillcert_core::ops::certificates::NumberColumn;
use skillcert_core::ops::database::{self, ServerSettings};
use skillcert_core::ops::occupations::OccupationColumn;
use skillcert_core::ops::scores::ScoreColumn;
use skillcert_core::ops::{Session, operators};
use skillcert_core::{Error, Location, Store};
use tauri::{AppHandle, Manager};

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    /// One connection (Send, not Sync) behind a mutex, used from blocking worker threads. None while the database
    /// is encrypted with a key this computer does not have: every command answers `key_missing` until it is unlocked.
    store: Arc<Mutex<Option<Store>>>,
    /// Why the store is not open (the message of the key_missing answer).
    key_missing: Arc<Mutex<Option<String>>>,
    /// This computer's own database file (the one a server is used instead of, and unlocking opens).
    pub db_path: PathBuf,
    /// Where the open database is: the file, or the agency server of 设置 → 数据库.
    pub place: Mutex<Place>,
    pub jobs: Jobs,
    /// The last import's outcome with its rejected rows, until the operator saves the report or imports again.
    last_import: Arc<Mutex<Option<LastImport>>>,
    /// A portal token kept for this run only (no keychain on this computer): (portal address, token).
    session_token: Mutex<Option<(String, String)>>,
    /// The signed-in operator, and when they last did something (for the idle lock).
    signed_in: Arc<Mutex<Option<SignedIn>>>,
}

/// Where the open database is, as 设置 → 数据库 shows it.
#[derive(Clone)]
pub struct Place {
    /// The server chosen in 设置 → 数据库 (None: the file, or a location given with `--db`).
    pub server: Option<ServerSettings>,
    /// The path or the server address, without its password.
    pub shown: String,
    /// Why the database chosen could not be opened at start and this computer's file was opened instead.
    pub notice: Option<String>,
}

/// An operator's session in the app.
#[derive(Clone)]
pub struct SignedIn {
    pub session: Session,
    pub last_activity: Instant,
    pub idle_limit: Duration,
}

/// An import whose report of rejected rows can still be saved.
pub enum LastImport {
    Candidates(ImportResult),
    Scores(ImportResult<ScoreColumn>),
    Numbers(ImportResult<NumberColumn>),
    Occupations(ImportResult<OccupationColumn>),
}

impl AppState {
    /// Opens the database; one that needs its recovery code leaves the app running, locked, to ask for it. A server
    /// that cannot be reached at start leaves the app on this computer's file, saying why.
    pub fn open(start: Start) -> Result<Self, skillcert_core::Error> {
        let keys = Keys::system()?;
        let (opened, place) = match &start.location {
            Location::Server(address) => match Store::open(&start.location, &keys, true) {
                Ok(store) => {
                    (Ok(store), Place { server: start.server.clone(), shown: address.to_string(), notice: None })
                }
                Err(e) => {
                    let notice = Some(format!("无法使用数据库服务器 {address}（{e}），已打开本机数据库"));
                    let shown = start.local.display().to_string();
                    (Store::open_or_create(&start.local, &keys), Place { server: None, shown, notice })
                }
            },
            Location::File(path) => (
                Store::open_or_create(path, &keys),
                Place { server: None, shown: path.display().to_string(), notice: None },
            ),
        };
        let (store, key_missing) = match opened {
            Ok(store) => (Some(store), None),
            Err(e) if e.code() == skillcert_core::ErrorCode::KeyMissing => (None, Some(e.to_string())),
            Err(e) => return Err(e),
        };
        let db_path = match &start.location {
            Location::File(path) => path.clone(),
            Location::Server(_) => start.local,
        };
        Ok(AppState {
            store: Arc::new(Mutex::new(store)),
            key_missing: Arc::new(Mutex::new(key_missing)),
            db_path,
            place: Mutex::new(place),
            jobs: Jobs::default(),
            last_import: Arc::default(),
            session_token: Mutex::default(),
            signed_in: Arc::default(),
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

    /// Runs `f` with the store on a blocking worker thread, so the UI thread never waits on SQLite. `f` acts as the
    /// signed-in operator; on a database with operator accounts and nobody signed in (or idle past the limit, which
    /// signs them out) it does not run.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Session) -> skillcert_core::Result<T> + Send + 'static,
    ) -> CommandResult<T> {
        let signed_in = Arc::clone(&self.signed_in);
        self.with_store_unsigned(move |store| {
            let session = current_session(&signed_in, store)?;
            f(store, &session)
        })
        .await
    }

    /// Runs `f` with the store whoever is signed in: signing in, and what the sign-in screen needs to know.
    pub async fn with_store_unsigned<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> skillcert_core::Result<T> + Send + 'static,
    ) -> CommandResult<T> {
        let store = Arc::clone(&self.store);
        let key_missing = Arc::clone(&self.key_missing);
        tauri::async_runtime::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| CommandError::internal("数据库连接已失效，请重启程序"))?;
            let Some(store) = store.as_mut() else {
                let why = key_missing.lock().ok().and_then(|w| w.clone()).unwrap_or_default();
                return Err(CommandError::from(Error::KeyMissing(why)));
            };
            f(store).map_err(CommandError::from)
        })
        .await
        .map_err(CommandError::internal)?
    }

    /// The daily backup, when due. It is SkillCert's own job, so it runs before anyone signs in; a database still
    /// waiting for its recovery code has nothing to back up yet (unlocking runs this again).
    pub async fn daily_backup(&self) {
        match self.with_store_unsigned(|store| skillcert_core::backup::daily_if_due(store)).await {
            Err(e) if e.code != skillcert_core::ErrorCode::KeyMissing => eprintln!("每日备份失败：{}", e.message),
            _ => {}
        }
    }

    /// Opens the locked database with a recovery code; returns why the key could not be kept for the next start.
    pub async fn unlock(&self, code: String) -> CommandResult<Option<String>> {
        let (store, key_missing, db) = (Arc::clone(&self.store), Arc::clone(&self.key_missing), self.db_path.clone());
        tauri::async_runtime::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| CommandError::internal("数据库连接已失效，请重启程序"))?;
            if store.is_some() {
                return Ok(None);
            }
            let unlocked = encryption::unlock(&db, &code, &Keys::system()?)?;
            *store = Some(unlocked.store);
            if let Ok(mut why) = key_missing.lock() {
                *why = None;
            }
            Ok(unlocked.not_kept)
        })
        .await
        .map_err(CommandError::internal)?
    }

    /// Puts `store` in place of the open database (another was chosen in 设置 → 数据库). Its operators are its own:
    /// whoever was signed in is signed out.
    pub fn replace_store(&self, store: Store, place: Place) {
        if let Ok(mut open) = self.store.lock() {
            *open = Some(store);
        }
        if let Ok(mut current) = self.place.lock() {
            *current = place;
        }
        self.sign_out();
    }

    pub fn place(&self) -> Place {
        self.place.lock().map(|p| p.clone()).unwrap_or(Place { server: None, shown: String::new(), notice: None })
    }

    pub fn sign_in(&self, signed_in: SignedIn) {
        if let Ok(mut current) = self.signed_in.lock() {
            *current = Some(signed_in);
        }
    }

    pub fn sign_out(&self) {
        if let Ok(mut current) = self.signed_in.lock() {
            *current = None;
        }
    }

    /// The signed-in operator, if any (not counting as activity).
    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in.lock().ok().and_then(|s| s.clone())
    }
}

/// The session a command acts in: the signed-in operator's (their activity noted, or signed out when idle too
/// long), or on a database without operator accounts the desktop user's.
fn current_session(signed_in: &Mutex<Option<SignedIn>>, store: &Store) -> skillcert_core::Result<Session> {
    let mut current = signed_in.lock().map_err(|_| Error::SignInRequired)?;
    match current.as_mut() {
        Some(s) if s.last_activity.elapsed() > s.idle_limit => {
            *current = None;
            Err(Error::SignInRequired)
        }
        Some(s) => {
            s.last_activity = Instant::now();
            Ok(s.session.clone())
        }
        None if !operators::operators_exist(store)? => Ok(session()),
        None => Err(Error::SignInRequired),
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

/// On a database without operator accounts, changes made in the app are attributed to the desktop user.
fn session() -> Session {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
    Session::new(format!("桌面端:{user}"))
}

/// What the app opens at start.
pub struct Start {
    pub location: Location,
    /// This computer's file: the database when no server is chosen, and the fallback when the server is unreachable.
    pub local: PathBuf,
    /// The server chosen in 设置 → 数据库, if that is what `location` is.
    pub server: Option<ServerSettings>,
}

/// `--db PATH|URL` or SKILLCERT_DB (the demo and tests use these); otherwise the server chosen in 设置 → 数据库
/// (database.json in the app-data directory, its password in the keychain), else skillcert.db there, so a real
/// operator's data never mixes with the demo's.
pub fn start(app: &AppHandle) -> Result<Start, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut given = None;
    while let Some(arg) = args.next() {
        if arg == "--db" {
            given = Some(args.next().ok_or("--db needs a path or a postgres:// address")?);
        }
    }
    let given = given.or_else(|| std::env::var("SKILLCERT_DB").ok());
    let data = app.path().app_data_dir()?;
    if let Some(text) = given {
        let location = Location::parse(&text)?;
        let local = match &location {
            Location::File(path) => path.clone(),
            Location::Server(_) => data.join("skillcert.db"),
        };
        return Ok(Start { location, local, server: None });
    }
    let local = data.join("skillcert.db");
    match chosen_server(&data) {
        Some(server) => {
            let location = database::location_with_password(&server.address()?)?;
            Ok(Start { location, local, server: Some(server) })
        }
        None => Ok(Start { location: Location::File(local.clone()), local, server: None }),
    }
}

/// database.json in the app-data directory: the server 设置 → 数据库 chose (no password in it).
pub fn choice_file(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_data_dir().ok().map(|d| d.join("database.json"))
}

fn chosen_server(data: &std::path::Path) -> Option<ServerSettings> {
    let text = std::fs::read_to_string(data.join("database.json")).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillcert_core::ops::operators::{OperatorDraft, add_operator, sign_in};

    #[test]
    fn commands_need_a_signed_in_operator_once_accounts_exist_and_idle_sessions_end() {
        let mut store = Store::open_in_memory().unwrap();
        let nobody = Mutex::new(None);
        assert!(current_session(&nobody, &store).is_ok(), "no accounts: the desktop user acts");

        let draft = OperatorDraft {
            login: "admin".into(),
            name: "管理员甲".into(),
            role: "管理员".into(),
            password: "Admin2026".into(),
        };
        let desktop = current_session(&nobody, &store).unwrap();
        add_operator(&mut store, &desktop, &draft).unwrap();
        assert!(matches!(current_session(&nobody, &store), Err(Error::SignInRequired)));

        let session = sign_in(&mut store, "admin", "Admin2026").unwrap();
        let signed = |idle_limit| SignedIn { session: session.clone(), last_activity: Instant::now(), idle_limit };
        let active = Mutex::new(Some(signed(Duration::from_secs(900))));
        assert_eq!(current_session(&active, &store).unwrap().operator, "管理员甲（admin）");
        let idle = Mutex::new(Some(signed(Duration::ZERO)));
        std::thread::sleep(Duration::from_millis(5));
        assert!(matches!(current_session(&idle, &store), Err(Error::SignInRequired)));
        assert!(idle.lock().unwrap().is_none(), "an idle session is signed out, not only refused once");
    }
}
