//! The store: opening a database (an SQLite file, or a PostgreSQL server: [`Location`]), checking and migrating its
//! schema, and one module per table.
//!
//! Table modules take a [`sql::Connection`] of either engine, so that an operation can compose several of them
//! inside one transaction (`Store::write`).

pub(crate) mod accounts;
pub(crate) mod applications;
pub(crate) mod arrangements;
pub(crate) mod assigned_numbers;
pub(crate) mod audit;
pub(crate) mod candidates;
pub(crate) mod certificate_serials;
pub(crate) mod certificates;
pub(crate) mod changes;
pub(crate) mod figures;
mod migrations;
pub(crate) mod notices;
pub(crate) mod occupations;
pub(crate) mod operators;
pub(crate) mod photos;
pub(crate) mod plans;
mod pool;
pub(crate) mod portal;
pub(crate) mod reports;
pub(crate) mod resits;
pub(crate) mod scores;
mod server;
pub(crate) mod settings;
pub(crate) mod sql;
pub(crate) mod staffing;
pub(crate) mod transfer;
pub(crate) mod venues;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::OpenFlags;
use serde::Serialize;
use ts_rs::TS;

use crate::encryption::{self, DbKey, EncryptionStatus, FileKind, Keys};
use crate::error::{Error, Fix, Result};
pub use migrations::LATEST_VERSION;
pub use pool::StorePool;
pub use server::{ServerAddress, Tls};
use sql::Connection;

/// Where a database is: a file on this computer (SQLite, the default) or a PostgreSQL server (`postgres://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(ServerAddress),
}

impl Location {
    /// A database location as typed (`--db`, `SKILLCERT_DB`, the app's settings): a `postgres://` or
    /// `postgresql://` URL is a server, any other address (`scheme://…`) is refused, anything else is a file path.
    pub fn parse(text: &str) -> Result<Location> {
        match server::scheme_of(text) {
            Some(scheme) if matches!(scheme.to_ascii_lowercase().as_str(), "postgres" | "postgresql") => {
                Ok(Location::Server(ServerAddress::parse(text)?))
            }
            Some(_) => Err(Error::Unreadable(format!(
                "数据库位置“{}”不是本机数据库文件的路径，也不是 SkillCert 能连接的数据库地址（postgres://…）：未创建任何文件",
                server::without_password(text)
            ))),
            None => Ok(Location::File(PathBuf::from(text))),
        }
    }

    /// For messages and titles: the path, or the server address without its password.
    pub fn display(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Server(address) => address.to_string(),
        }
    }
}

/// One page of a list and how many rows the whole filtered list has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Page<T> {
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    pub rows: Vec<T>,
}

pub const MAX_PAGE_SIZE: u32 = 500;

/// (page, page size, offset) of a 1-based page request; a page size of 0 means 50, at most [`MAX_PAGE_SIZE`].
pub(crate) fn page_window(page: u32, page_size: u32) -> (u32, u32, i64) {
    let page_size = match page_size {
        0 => 50,
        n => n.min(MAX_PAGE_SIZE),
    };
    let page = page.max(1);
    (page, page_size, i64::from(page - 1) * i64::from(page_size))
}

/// Marks a SQLite file as SkillCert's (`PRAGMA application_id`), so another program's database is not migrated.
pub const APPLICATION_ID: i32 = 0x5343_4552; // "SCER"

/// How long a writer waits for another process's lock before giving up with a clear message.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Connection,
    /// The database file; None for an in-memory database or a server.
    path: Option<PathBuf>,
    /// The server it is on; None for SQLite.
    server: Option<ServerAddress>,
    /// The key that opened it; None for a plain database.
    key: Option<DbKey>,
    encryption: EncryptionStatus,
    /// Shared by the stores of one [`StorePool`]: writers of this process queue here instead of in SQLite's busy
    /// handler, which sleeps (up to 100 ms a time) while another connection holds the write lock.
    write_gate: Option<std::sync::Arc<std::sync::Mutex<()>>>,
}

impl Store {
    /// Opens the database at `path`, creating it when missing, and brings its schema up to date. With a key at hand
    /// (see [`Keys`]) a new database is created encrypted and a plain one is encrypted first.
    pub fn open_or_create(path: &Path, keys: &Keys) -> Result<Store> {
        if let Location::Server(address) = location_of(path)? {
            return Store::connect(&address, true);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Store::open_file(path, flags, keys)
    }

    /// Opens an existing database; a missing file is an error instead of a new empty database.
    pub fn open_existing(path: &Path, keys: &Keys) -> Result<Store> {
        if let Location::Server(address) = location_of(path)? {
            return Store::connect(&address, false);
        }
        if !path.is_file() {
            let missing =
                std::io::Error::new(std::io::ErrorKind::NotFound, format!("数据库文件 {} 不存在", path.display()));
            return Err(Error::Io(missing).with_fix(Fix::CreateDatabase { path: path.display().to_string() }));
        }
        Store::open_file(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX, keys)
    }

    /// Opens the database at `location`; `create` makes a missing file, or sets up an empty server database.
    pub fn open(location: &Location, keys: &Keys, create: bool) -> Result<Store> {
        match (location, create) {
            (Location::File(path), true) => Store::open_or_create(path, keys),
            (Location::File(path), false) => Store::open_existing(path, keys),
            (Location::Server(address), create) => Store::connect(address, create),
        }
    }

    /// Connects to a PostgreSQL server and checks (and, with `create`, sets up or upgrades) its schema. Nothing is
    /// written to a database that is another program's or of a newer SkillCert.
    pub fn connect(address: &ServerAddress, create: bool) -> Result<Store> {
        let mut conn = server::connect(address)?;
        migrations::migrate(&mut conn, create).map_err(|e| match (e, create) {
            (Error::NoRow, _) => Error::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("服务器数据库 {address} 还没有 SkillCert 的数据表"),
            ))
            .with_fix(Fix::CreateDatabase { path: address.to_string() }),
            (e, _) => e,
        })?;
        Ok(Store {
            conn,
            path: None,
            server: Some(address.clone()),
            key: None,
            encryption: EncryptionStatus::plain(format!(
                "服务器数据库（{address}）：由服务器保管，连接{}",
                address.tls_words()
            )),
            write_gate: None,
        })
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = rusqlite::Connection::open_in_memory()?;
        encryption::configure(&conn)?;
        Store::prepare(conn, None, None, EncryptionStatus::plain("内存数据库"))
    }

    fn open_file(path: &Path, flags: OpenFlags, keys: &Keys) -> Result<Store> {
        // The key a new or plain database gets, or why it stays plain. An encrypted file needs no new key.
        let kind = encryption::file_kind(path)?;
        let wanted = matches!(kind, FileKind::New | FileKind::Plain).then(|| keys.for_new());
        let new_key = wanted.as_ref().and_then(|w| w.as_ref().ok());
        let mut plain_reason = wanted.as_ref().and_then(|w| w.as_ref().err().cloned());
        if let (FileKind::Plain, Some(key)) = (kind, new_key)
            && may_encrypt_in_place(path)?
            && let Err(e) = encryption::encrypt_in_place(path, key)
        {
            // In use by another program, say: it stays plain this time and is encrypted at a later opening.
            plain_reason = Some(e.to_string());
        }
        let opened = encryption::open_as_is(path, flags, keys, new_key)?;
        let status = match (&opened.key, plain_reason) {
            (Some(key), _) => EncryptionStatus::encrypted(key),
            (None, why) => EncryptionStatus::plain(why.unwrap_or_default()),
        };
        let store = Store::prepare(opened.conn, Some(path), opened.key, status)?;
        if let Some(key) = &store.key {
            // Copies made before the database was encrypted would still be readable by anyone.
            crate::backup::encrypt_plain_backups(path, key);
        }
        Ok(store)
    }

    /// Checks, configures and migrates a freshly opened connection; `path` is None for an in-memory database.
    fn prepare(
        conn: rusqlite::Connection,
        path: Option<&Path>,
        key: Option<DbKey>,
        encryption: EncryptionStatus,
    ) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read-only checks first: a file we must refuse is never written to (journal_mode=WAL writes the header).
        let version: i64 =
            conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| busy_message(e.into()))?;
        if version > LATEST_VERSION {
            return Err(Error::SchemaTooNew { found: version, supported: LATEST_VERSION });
        }
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(Error::Refused(
                "这个文件不是 SkillCert 数据库（可能是其他程序的数据库），为免损坏已拒绝打开".into(),
            ));
        }
        if version == 0 && key.is_none() {
            // A new database: larger pages make bulk imports cheaper (fewer B-tree pages to split and write).
            // An encrypted one has them already (SQLCipher's page size is set with its key).
            conn.pragma_update(None, "page_size", 16_384)?;
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        if path.is_some() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        if let Some(path) = path
            && version > 0
            && version < LATEST_VERSION
        {
            // An upgrade rewrites tables: the database as it was is kept first (backups/…-pre-upgrade.db).
            crate::backup::before_migration(&conn, path, key.as_ref())?;
        }
        let mut conn = Connection::sqlite(conn);
        migrations::migrate(&mut conn, true)?;
        Ok(Store { conn, path: path.map(Path::to_path_buf), server: None, key, encryption, write_gate: None })
    }

    /// Whether the database is encrypted, with which key, or why not.
    pub fn encryption(&self) -> &EncryptionStatus {
        &self.encryption
    }

    /// The key that opened the database (None: plain). Backups are checked with it.
    pub(crate) fn key(&self) -> Option<&DbKey> {
        self.key.as_ref()
    }

    /// The database file; None for an in-memory database or a server.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The server the database is on; None for SQLite.
    pub fn server(&self) -> Option<&ServerAddress> {
        self.server.as_ref()
    }

    /// The SQLite connection underneath, for what only an SQLite file has (backups of the file); None on a server.
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        self.conn.as_sqlite()
    }

    /// For reads; a single statement is consistent on its own.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one write transaction (waiting for other writers): all of it is committed, or none of it when
    /// `f` fails.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut value = None;
        self.write_if(|tx| {
            value = Some(f(tx)?);
            Ok(true)
        })?;
        Ok(value.expect("a kept write has its value"))
    }

    /// Like [`Store::write`], but `f` returns whether to keep what it wrote; false rolls it all back (a dry run).
    /// Returns whether it was committed.
    pub(crate) fn write_if(&mut self, f: impl FnOnce(&Connection) -> Result<bool>) -> Result<bool> {
        let gate = self.write_gate.clone();
        let _turn = gate.as_deref().map(|g| g.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        self.conn.begin().map_err(busy_message)?;
        // Rolls back unless committed, also when `f` panics.
        struct Open<'a>(&'a Connection, bool);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                if self.1 {
                    self.0.rollback();
                }
            }
        }
        let mut open = Open(&self.conn, true);
        let keep = f(open.0)?;
        if keep {
            open.1 = false;
            open.0.commit()?;
        }
        Ok(keep)
    }

    /// After a bulk write: a server's planner learns the tables' new sizes now rather than at its next automatic
    /// ANALYZE (100,000 new rows planned as an empty table make the application table's pages crawl). SQLite plans
    /// well without; a failure only costs speed.
    pub(crate) fn refresh_statistics(&self, tables: &[&str]) {
        if self.conn.engine() == sql::Engine::Postgres {
            let _ = self.conn.execute_batch(&format!("ANALYZE {}", tables.join(", ")));
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrations::version(&self.conn)
    }
}

/// A `--db` value given as a path may be a server's URL.
fn location_of(path: &Path) -> Result<Location> {
    match path.to_str() {
        Some(text) => Location::parse(text),
        None => Ok(Location::File(path.to_path_buf())),
    }
}

/// Whether the plain file at `path` may be encrypted in place: SkillCert's own (or a new, empty database) and of a
/// schema this program can open. Anything else is refused by [`Store::prepare`] and must be left byte for byte.
fn may_encrypt_in_place(path: &Path) -> Result<bool> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))?;
    Ok((app_id == APPLICATION_ID || (app_id == 0 && tables == 0)) && version <= LATEST_VERSION)
}

/// SQLITE_BUSY after the timeout means another program holds the write lock: say so.
fn busy_message(e: Error) -> Error {
    match &e {
        Error::Database(d)
            if matches!(
                d.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Error::Refused("数据库正被另一个程序（如已打开的 SkillCert 窗口）写入，请稍后再试".into())
        }
        Error::Server(s) if s.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) => {
            Error::Refused("数据库正被另一台电脑写入（如正在导入或发布成绩），请稍后再试；本次操作未保存".into())
        }
        _ => e,
    }
}

/// Maps a UNIQUE constraint failure (of either engine) to a Conflict with `message`; other errors pass through.
pub(crate) fn unique_violation(e: Error, message: impl FnOnce() -> String) -> Error {
    let unique = match &e {
        Error::Database(rusqlite::Error::SqliteFailure(f, _)) => {
            f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
        }
        Error::Server(s) => s.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
        _ => false,
    };
    if unique { Error::Conflict(message()) } else { e }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_a_server_or_refused_and_no_file_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let here = std::env::current_dir().unwrap();
        let e = Store::open_or_create(Path::new("mysql://clerk:s3cret@db.example.cn/x"), &Keys::Plain)
            .map(|_| ())
            .unwrap_err();
        assert!(e.to_string().contains("未创建任何文件") && !e.to_string().contains("s3cret"), "{e}");
        // Nothing listens on port 9 of this machine: the server is named, its password is not.
        let unreachable = "postgres://clerk:s3cret@127.0.0.1:9/skillcert?connect_timeout=2";
        for e in [
            Store::open_or_create(Path::new(unreachable), &Keys::Plain).map(|_| ()).unwrap_err(),
            Store::open_existing(Path::new(unreachable), &Keys::Plain).map(|_| ()).unwrap_err(),
        ] {
            let text = e.to_string();
            assert!(text.contains("无法连接数据库服务器 postgres://clerk@127.0.0.1:9/skillcert"), "{text}");
            assert!(!text.contains("s3cret"), "{text}");
        }
        assert!(!here.join("postgres:").exists() && !here.join("mysql:").exists());
        // A path that merely has a colon in it is still a path.
        assert!(Store::open_or_create(&dir.path().join("备份:2026.db"), &Keys::Plain).is_ok());
    }

    #[test]
    fn another_programs_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1);").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let Err(e) = Store::open_or_create(&path, &Keys::Plain) else { panic!("opened another program's database") };
        assert!(e.to_string().contains("不是 SkillCert 数据库"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn new_database_gets_wal_foreign_keys_and_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&dir.path().join("sub/dir/new.db"), &Keys::Plain).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        let mode: String = store.conn().query_row("PRAGMA journal_mode", (), |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: bool = store.conn().query_row("PRAGMA foreign_keys", (), |r| r.get(0)).unwrap();
        assert!(fk);
        // Reopening an up-to-date database changes nothing.
        drop(store);
        assert!(Store::open_existing(&dir.path().join("sub/dir/new.db"), &Keys::Plain).is_ok());
    }

    #[test]
    fn the_audit_log_is_append_only() {
        let mut store = crate::testing::scratch();
        store
            .write(|tx| {
                audit::append(
                    tx,
                    &audit::NewAuditEntry { actor: "a", entity: "plan", action: "x", ..Default::default() },
                    "t",
                )
            })
            .unwrap();
        assert!(store.conn().execute("UPDATE audit_log SET actor = 'b'", ()).is_err());
        assert!(store.conn().execute("DELETE FROM audit_log", ()).is_err());
    }
}
