//! Backups of the agency database. A backup is a whole, consistent copy written with `VACUUM INTO` (which also works
//! on an encrypted database, where SQLite's online backup API does not), first under a temporary name and checked
//! (`PRAGMA integrity_check`, SkillCert's application id, a schema this program can open) before it gets its real
//! name: a crash or a full disk never leaves a half backup that looks whole.
//!
//! Automatic backups go to `backups/` beside the database, named `<db>-<YYYYMMDD-HHMMSS>-<reason>.db`: before a
//! schema migration, before each bulk operation, and once a day; the newest [`KEEP_AUTOMATIC`] are kept. A restore
//! checks the backup the same way, refuses while another program has the database open, keeps the database it
//! replaces as a backup, and swaps the file in one rename.
//!
//! A database on a PostgreSQL server is backed up the same way into an SQLite file (encrypted with this computer's
//! key, as a new local database would be): every table copied from one moment of the server and counted. Such a
//! file restores to SQLite, or onto an empty server database ([`restore`], [`copy_to`]). Administrators keep
//! pg_dump backups of the server beside it (docs/server.md).

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::domain::operator::Permission;
use crate::domain::text::shanghai;
use crate::encryption::{self, DbKey, FileKind, Keys, with_suffix};
use crate::error::{Error, Result};
use crate::ops::Session;
pub use crate::store::transfer::TableCount;
use crate::store::{APPLICATION_ID, LATEST_VERSION, Location, Store, transfer};

/// Automatic backups kept per database; older ones are deleted when a new one is made.
pub const KEEP_AUTOMATIC: usize = 10;

/// How often an automatic backup is due even when nothing else made one.
const DAILY: chrono::Duration = chrono::Duration::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum BackupReason {
    #[serde(rename = "手动")]
    Manual,
    #[serde(rename = "升级前")]
    BeforeMigration,
    #[serde(rename = "批量操作前")]
    BeforeBulk,
    #[serde(rename = "每日")]
    Daily,
    #[serde(rename = "恢复前")]
    BeforeRestore,
}

impl BackupReason {
    pub fn label(self) -> &'static str {
        match self {
            BackupReason::Manual => "手动",
            BackupReason::BeforeMigration => "升级前",
            BackupReason::BeforeBulk => "批量操作前",
            BackupReason::Daily => "每日",
            BackupReason::BeforeRestore => "恢复前",
        }
    }

    /// The part of a file name that says why it was made (ASCII: file names travel to USB sticks and mail).
    fn tag(self) -> &'static str {
        match self {
            BackupReason::Manual => "manual",
            BackupReason::BeforeMigration => "pre-upgrade",
            BackupReason::BeforeBulk => "pre-bulk",
            BackupReason::Daily => "daily",
            BackupReason::BeforeRestore => "pre-restore",
        }
    }

    fn from_tag(tag: &str) -> Option<BackupReason> {
        [
            BackupReason::Manual,
            BackupReason::BeforeMigration,
            BackupReason::BeforeBulk,
            BackupReason::Daily,
            BackupReason::BeforeRestore,
        ]
        .into_iter()
        .find(|r| r.tag() == tag)
    }
}

/// A backup file and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub bytes: u64,
    /// When it was made, Asia/Shanghai, "2026-11-26 14:05:09".
    pub made_at: String,
    pub reason: BackupReason,
}

/// Writes a backup of the open database to `target`, a new file (an existing file is never overwritten). `keys`
/// encrypt the backup of a server database (a local database's backup keeps its own key).
pub fn backup_to(store: &Store, session: &Session, target: &Path, keys: &Keys) -> Result<BackupInfo> {
    session.require(Permission::Backup)?;
    if target.exists() {
        return Err(Error::refused(format!("“{}”已存在：请换一个文件名，已有的文件不会被覆盖", target.display())));
    }
    let Some(conn) = store.sqlite() else {
        server_to_file(store, target, keys)?;
        return info(target, BackupReason::Manual, &now_local());
    };
    write_checked(conn, target, store.key())?;
    info(target, BackupReason::Manual, &now_local())
}

/// A server database copied into a new SQLite file at `target`: under a temporary name until it is complete and
/// checked, like every backup.
fn server_to_file(store: &Store, target: &Path, keys: &Keys) -> Result<()> {
    let partial = with_suffix(target, ".partial");
    let remove = |p: &Path| {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(p, suffix));
        }
    };
    remove(&partial);
    let copied = (|| {
        let file = Store::open_or_create(&partial, keys)?;
        transfer::copy_all(store.conn(), file.conn())?;
        // One self-contained file, as every backup is (no WAL beside it).
        file.sqlite().expect("a file store").pragma_update(None, "journal_mode", "DELETE")?;
        drop(file);
        verify(&partial, keys)?;
        encryption::sync_file(&partial)?;
        std::fs::rename(&partial, target).map_err(|e| Error::io_at(target, e))
    })();
    if copied.is_err() {
        remove(&partial);
    }
    copied
}

/// Copies everything of the open database into the new or empty database at `target` (a server, or a file), and
/// checks every table's count there; the open database is left as it is. What moving onto a server is.
pub fn copy_to(store: &Store, session: &Session, target: &Location, keys: &Keys) -> Result<Vec<TableCount>> {
    session.require(Permission::Backup)?;
    if let (Location::File(path), Some(own)) = (target, store.path())
        && same_file(path, own)
    {
        return Err(Error::refused("目标就是当前数据库本身"));
    }
    let into = Store::open(target, keys, true)?;
    transfer::copy_all(store.conn(), into.conn())
}

/// 立即备份: a manual backup into `backups/` beside the database.
pub fn backup_now(store: &Store, session: &Session) -> Result<Option<BackupInfo>> {
    session.require(Permission::Backup)?;
    beside(store, BackupReason::Manual)
}

/// A backup into `backups/` beside the database, then the oldest beyond [`KEEP_AUTOMATIC`] deleted. None for a
/// database that is not a file (tests' in-memory stores).
pub(crate) fn beside(store: &Store, reason: BackupReason) -> Result<Option<BackupInfo>> {
    // A server keeps its own backups (pg_dump, docs/server.md); there is no file to copy beside.
    let (Some(db), Some(conn)) = (store.path(), store.sqlite()) else { return Ok(None) };
    automatic_of(conn, db, reason, store.key()).map(Some)
}

/// The automatic backup before a bulk operation (`what`, e.g. 导入考生). A backup that cannot be made stops the
/// operation: nothing is written without a way back.
pub fn before_bulk(store: &Store, what: &str) -> Result<()> {
    beside(store, BackupReason::BeforeBulk).map(|_| ()).map_err(|e| {
        Error::refused(format!("{what}前无法备份数据库（{e}），为安全起见未执行{what}：请检查磁盘空间或文件夹权限"))
    })
}

/// The daily backup, when the newest automatic one is more than a day old (or there is none).
pub fn daily_if_due(store: &Store) -> Result<Option<BackupInfo>> {
    let Some(db) = store.path() else { return Ok(None) };
    let due = match list(db)?.first() {
        None => true,
        Some(newest) => NaiveDateTime::parse_from_str(&newest.made_at, "%Y-%m-%d %H:%M:%S")
            .map(|made| now_naive() - made >= DAILY)
            .unwrap_or(true),
    };
    if due { beside(store, BackupReason::Daily) } else { Ok(None) }
}

/// The backups in `backups/` beside the database at `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(db);
    let stem = stem(db);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // <stem>-<YYYYMMDD>-<HHMMSS>-<tag>.db
        let Some(rest) = name.strip_prefix(&format!("{stem}-")).and_then(|r| r.strip_suffix(".db")) else { continue };
        let (Some(stamp), Some(tag)) = (rest.get(..15), rest.get(16..)) else { continue };
        // A tag may end in a number: two backups of one kind in the same second.
        let tag = tag.trim_end_matches(|c: char| c.is_ascii_digit());
        let (Ok(made), Some(reason)) =
            (NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S"), BackupReason::from_tag(tag))
        else {
            continue;
        };
        found.push(info(&entry.path(), reason, &made.format("%Y-%m-%d %H:%M:%S").to_string())?);
    }
    found.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(b.path.cmp(&a.path)));
    Ok(found)
}

/// Where the backups beside `db` go.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Checks that `path` is a whole SkillCert database this program can open (an encrypted one with one of `keys`);
/// returns its schema version. Only reads.
pub fn verify(path: &Path, keys: &Keys) -> Result<i64> {
    let unusable = |why: String| Error::Unreadable(format!("“{}”不能用作 SkillCert 备份：{why}", path.display()));
    if !path.is_file() {
        return Err(unusable("文件不存在".into()));
    }
    let conn =
        encryption::open_as_is(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, keys, None)
            .map_err(|e| unusable(e.to_string()))?
            .conn;
    let header = || -> rusqlite::Result<(i32, i64)> {
        Ok((
            conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        ))
    };
    let (app_id, version) = header().map_err(|e| unusable(format!("不是数据库文件或已加密（{e}）")))?;
    if app_id != APPLICATION_ID {
        return Err(unusable("不是 SkillCert 的数据库".into()));
    }
    if version > LATEST_VERSION {
        return Err(unusable(format!("由更新版本的 SkillCert 生成（数据库版本 {version}），请先升级本软件")));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(|e| unusable(format!("完整性检查失败（{e}）")))?;
    if check != "ok" {
        return Err(unusable(format!("文件已损坏（{check}）")));
    }
    Ok(version)
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RestoreOutcome {
    /// The database that was replaced, kept as a backup (None when there was none).
    pub kept: Option<BackupInfo>,
    /// The schema version of the restored backup (it is brought up to date when next opened).
    pub schema_version: i64,
}

/// Replaces the database at `db` with the backup `from`. Checks the backup first, refuses while another program
/// uses the database, keeps the database it replaces as a backup, and swaps files in one rename: at every moment
/// `db` is either the old database or the restored one.
/// A plain backup is restored as it is and encrypted when the database is next opened with a key. The open `store`
/// is who asks (its session must allow backups); it is closed before anything is replaced.
pub fn restore(store: Store, session: &Session, from: &Path, keys: &Keys) -> Result<RestoreOutcome> {
    session.require(Permission::Backup)?;
    if store.server().is_some() {
        return restore_onto_server(&store, from, keys);
    }
    let db = store.path().ok_or_else(|| Error::refused("内存数据库没有文件可以恢复"))?.to_path_buf();
    drop(store);
    let db = db.as_path();
    let schema_version = verify(from, keys)?;
    if same_file(db, from) {
        return Err(Error::refused("备份文件就是当前数据库本身，无需恢复"));
    }
    let kept = if db.exists() { Some(keep_replaced(db, keys)?) } else { None };
    let incoming = db.with_extension("restoring");
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(from, &incoming).map_err(|e| Error::io_at(&incoming, e))?;
    encryption::sync_file(&incoming)?;
    // The replaced database was checkpointed into its main file; stale WAL files would be read as the new one's.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(db, suffix));
    }
    std::fs::rename(&incoming, db).map_err(|e| Error::io_at(db, e))?;
    Ok(RestoreOutcome { kept, schema_version })
}

/// A backup copied onto an empty server database (a server's data is never replaced: its audit trail and issued
/// certificates cannot be deleted). The backup is brought up to date in a temporary copy first.
fn restore_onto_server(store: &Store, from: &Path, keys: &Keys) -> Result<RestoreOutcome> {
    let schema_version = verify(from, keys)?;
    let dir = tempfile_dir()?;
    let copy = dir.join("restoring.db");
    std::fs::copy(from, &copy).map_err(|e| Error::io_at(&copy, e))?;
    let result = Store::open_existing(&copy, keys).and_then(|backup| transfer::copy_all(backup.conn(), store.conn()));
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|_| RestoreOutcome { kept: None, schema_version })
}

/// A new private folder under the system's temporary folder.
fn tempfile_dir() -> Result<PathBuf> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("skillcert-restore-{name}"));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io_at(&dir, e))?;
    Ok(dir)
}

/// Makes sure nobody else has `db` open, folds its WAL into the main file, and copies it to the backups.
fn keep_replaced(db: &Path, keys: &Keys) -> Result<BackupInfo> {
    let opened =
        encryption::open_as_is(db, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX, keys, None)?;
    let conn = opened.conn;
    // Leaving WAL mode needs the database to itself: it fails while any other connection has it open.
    let mode: rusqlite::Result<String> = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => {}
        _ => {
            return Err(Error::refused(
                "数据库正被 SkillCert 窗口或另一个程序使用，无法恢复：请先关闭它们再恢复（数据库未做任何改动）",
            ));
        }
    }
    // A damaged database cannot be vacuumed; its bytes are still worth keeping as they are.
    let target = automatic_path(db, BackupReason::BeforeRestore);
    create_dir(&target)?;
    if write_checked(&conn, &target, opened.key.as_ref()).is_err() {
        drop(conn);
        std::fs::copy(db, &target).map_err(|e| Error::io_at(&target, e))?;
    }
    info(&target, BackupReason::BeforeRestore, &now_local())
}

fn automatic_of(conn: &Connection, db: &Path, reason: BackupReason, key: Option<&DbKey>) -> Result<BackupInfo> {
    let target = automatic_path(db, reason);
    create_dir(&target)?;
    write_checked(conn, &target, key)?;
    let made = info(&target, reason, &now_local())?;
    for old in list(db)?.into_iter().skip(KEEP_AUTOMATIC) {
        let _ = std::fs::remove_file(&old.path);
    }
    Ok(made)
}

/// Before a schema migration: the database as it was, opened by the migration's own connection.
pub(crate) fn before_migration(conn: &Connection, db: &Path, key: Option<&DbKey>) -> Result<BackupInfo> {
    automatic_of(conn, db, BackupReason::BeforeMigration, key)
}

/// Encrypts, with the database's own key, the backups beside it that were made while it was plain. Best effort: a
/// copy that cannot be encrypted (a damaged database kept as it was before a restore) stays as it is, and never
/// keeps the database itself from opening.
pub(crate) fn encrypt_plain_backups(db: &Path, key: &DbKey) {
    for backup in list(db).unwrap_or_default() {
        let path = PathBuf::from(&backup.path);
        if matches!(encryption::file_kind(&path), Ok(FileKind::Plain)) {
            let _ = encryption::encrypt_in_place(&path, key);
        }
    }
}

/// `VACUUM INTO` a temporary name beside `target`, verified, then renamed into place. The copy of an encrypted
/// database is encrypted with the same `key`.
fn write_checked(conn: &Connection, target: &Path, key: Option<&DbKey>) -> Result<()> {
    let partial = with_suffix(target, ".partial");
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
        verify(&partial, &key.map_or(Keys::Plain, |k| Keys::Given(k.clone())))?;
        std::fs::rename(&partial, target).map_err(|e| Error::io_at(target, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

fn automatic_path(db: &Path, reason: BackupReason) -> PathBuf {
    let stamp = now_naive().format("%Y%m%d-%H%M%S");
    let dir = backup_dir(db);
    let mut path = dir.join(format!("{}-{stamp}-{}.db", stem(db), reason.tag()));
    // Two in the same second (a migration right before a bulk operation) get distinct names.
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{}-{stamp}-{}{n}.db", stem(db), reason.tag()));
        n += 1;
    }
    path
}

fn info(path: &Path, reason: BackupReason, made_at: &str) -> Result<BackupInfo> {
    let bytes = std::fs::metadata(path).map_err(|e| Error::io_at(path, e))?.len();
    Ok(BackupInfo { path: path.display().to_string(), bytes, made_at: made_at.to_string(), reason })
}

fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "skillcert".into())
}

fn create_dir(target: &Path) -> Result<()> {
    match target.parent() {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| Error::io_at(dir, e)),
        None => Ok(()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn now_naive() -> NaiveDateTime {
    Utc::now().with_timezone(&shanghai()).naive_local()
}

fn now_local() -> String {
    now_naive().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// What 设置 shows about backups.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupStatus {
    /// The newest backup beside the database, if any.
    pub last: Option<BackupInfo>,
    /// The folder they are in.
    pub dir: String,
}

pub fn status(store: &Store) -> Result<BackupStatus> {
    let Some(db) = store.path() else { return Ok(BackupStatus { last: None, dir: String::new() }) };
    Ok(BackupStatus { last: list(db)?.into_iter().next(), dir: backup_dir(db).display().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::candidate::CandidateDraft;
    use crate::domain::operator::Role;
    use crate::ops::candidates::add_candidate;
    use crate::testing::agency;

    fn names(path: &Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT name FROM candidates ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn a_manual_backup_is_a_whole_checked_copy_and_never_overwrites() {
        let (dir, _, store) = agency(&Keys::Plain);
        let target = dir.path().join("备份 2026-11-26.db");
        let reviewer = Session::signed_in("李审核", "li", Role::Reviewer);
        assert!(backup_to(&store, &reviewer, &target, &Keys::Plain).is_err(), "backups are the administrator's");
        assert!(backup_now(&store, &reviewer).is_err());
        assert!(!target.exists());
        let made = backup_to(&store, &Session::new("测试"), &target, &Keys::Plain).unwrap();
        assert_eq!(made.reason, BackupReason::Manual);
        assert_eq!(verify(&target, &Keys::Plain).unwrap(), LATEST_VERSION);
        assert_eq!(names(&target), ["张三"]);
        assert!(!with_suffix(&target, ".partial").exists());
        let again = backup_to(&store, &Session::new("测试"), &target, &Keys::Plain).unwrap_err();
        assert!(again.to_string().contains("已存在"), "{again}");
    }

    #[test]
    fn automatic_backups_rotate_and_the_daily_one_waits_a_day() {
        let (_dir, db, store) = agency(&Keys::Plain);
        assert!(daily_if_due(&store).unwrap().is_some(), "none yet: due");
        assert!(daily_if_due(&store).unwrap().is_none(), "one just made");
        for _ in 0..KEEP_AUTOMATIC + 3 {
            beside(&store, BackupReason::BeforeBulk).unwrap();
        }
        let kept = list(&db).unwrap();
        assert_eq!(kept.len(), KEEP_AUTOMATIC);
        assert!(kept.iter().all(|b| b.reason == BackupReason::BeforeBulk), "the oldest (the daily one) went first");
        let files = std::fs::read_dir(backup_dir(&db)).unwrap().count();
        assert_eq!(files, KEEP_AUTOMATIC, "nothing else left behind");
        assert!(beside(&crate::testing::scratch(), BackupReason::Daily).unwrap().is_none());
    }

    #[test]
    fn only_whole_skillcert_databases_pass_verification() {
        let (dir, _, store) = agency(&Keys::Plain);
        let good = dir.path().join("good.db");
        backup_to(&store, &Session::new("测试"), &good, &Keys::Plain).unwrap();

        let text = dir.path().join("名单.db");
        std::fs::write(&text, "姓名,证件号码\n").unwrap();
        assert!(verify(&text, &Keys::Plain).unwrap_err().to_string().contains("不能用作 SkillCert 备份"));
        let other = dir.path().join("other.db");
        Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        assert!(verify(&other, &Keys::Plain).unwrap_err().to_string().contains("不是 SkillCert"));
        let bytes = std::fs::read(&good).unwrap();
        let cut = dir.path().join("cut.db");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        assert!(verify(&cut, &Keys::Plain).is_err(), "a truncated copy is refused");
        let newer = dir.path().join("newer.db");
        std::fs::copy(&good, &newer).unwrap();
        Connection::open(&newer).unwrap().pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();
        assert!(verify(&newer, &Keys::Plain).unwrap_err().to_string().contains("更新版本"));
        assert!(verify(&dir.path().join("missing.db"), &Keys::Plain).is_err());
    }

    #[test]
    fn a_restore_swaps_in_the_backup_and_keeps_what_it_replaced() {
        let (dir, db, mut store) = agency(&Keys::Plain);
        let saved = dir.path().join("saved.db");
        backup_to(&store, &Session::new("测试"), &saved, &Keys::Plain).unwrap();
        let li = CandidateDraft {
            name: "李四".into(),
            id_number: "110105198001010016".into(),
            phone: "13812345678".into(),
            ..Default::default()
        };
        add_candidate(&mut store, &Session::new("测试"), &li).unwrap();

        // Only a role that may back up may restore; refused while the database is open elsewhere (here: `store`).
        let open = || Store::open_existing(&db, &Keys::Plain).unwrap();
        let admin = Session::new("测试");
        let reviewer = Session::signed_in("李审核", "li", Role::Reviewer);
        assert!(restore(open(), &reviewer, &saved, &Keys::Plain).unwrap_err().to_string().contains("备份与恢复"));
        let refused = restore(open(), &admin, &saved, &Keys::Plain).unwrap_err();
        assert!(refused.to_string().contains("正被"), "{refused}");
        drop(store);
        assert_eq!(names(&db), ["张三", "李四"]);

        // A bad backup is refused before anything is touched.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, [0u8; 4096]).unwrap();
        assert!(restore(open(), &admin, &junk, &Keys::Plain).is_err());
        assert_eq!(names(&db), ["张三", "李四"]);

        let outcome = restore(open(), &admin, &saved, &Keys::Plain).unwrap();
        assert_eq!(outcome.schema_version, LATEST_VERSION);
        assert_eq!(names(&db), ["张三"]);
        let kept = outcome.kept.unwrap();
        assert_eq!(kept.reason, BackupReason::BeforeRestore);
        assert_eq!(names(Path::new(&kept.path)), ["张三", "李四"]);
        // The restored database opens as usual.
        assert!(Store::open_existing(&db, &Keys::Plain).is_ok());
        assert!(restore(open(), &admin, &db, &Keys::Plain).is_err(), "restoring a database onto itself");
    }

    /// A local database moved onto a server, the server backed up into an encrypted file, and that file restored
    /// onto another, empty server: the same people and the same audit trail at each step.
    #[test]
    fn a_server_database_is_copied_backed_up_to_a_file_and_restored_onto_an_empty_server() {
        use crate::ops::audit::list_audit;
        use crate::ops::candidates::list_candidates;
        let (dir, _, local) = agency(&Keys::Plain);
        let session = Session::new("测试");
        let first = Location::parse(&crate::throwaway_postgres::fresh_database("moved")).unwrap();
        let counts = copy_to(&local, &session, &first, &Keys::Plain).unwrap();
        assert!(counts.iter().any(|c| c.table == "candidates" && c.rows == 1), "{counts:?}");
        let server = Store::open(&first, &Keys::Plain, false).unwrap();
        let people = |s: &Store| list_candidates(s).unwrap().into_iter().map(|c| c.profile.name).collect::<Vec<_>>();
        let trail = |s: &Store| list_audit(s, None).unwrap().len();
        assert_eq!(people(&server), ["张三"]);
        assert_eq!(trail(&server), trail(&local));
        // Copying again onto the same server would overwrite: refused, nothing changed.
        let again = copy_to(&local, &session, &first, &Keys::Plain).unwrap_err();
        assert!(again.to_string().contains("已有数据"), "{again}");
        assert_eq!(trail(&server), trail(&local));

        let key = DbKey::random().unwrap();
        let file = dir.path().join("服务器备份.db");
        backup_to(&server, &session, &file, &Keys::Given(key.clone())).unwrap();
        assert_eq!(encryption::file_kind(&file).unwrap(), FileKind::Encrypted);
        assert_eq!(verify(&file, &Keys::Given(key.clone())).unwrap(), LATEST_VERSION);
        assert!(!with_suffix(&file, ".partial").exists() && !with_suffix(&file, "-wal").exists());

        let second = Location::parse(&crate::throwaway_postgres::fresh_database("restored")).unwrap();
        let empty = Store::open(&second, &Keys::Plain, true).unwrap();
        let outcome = restore(empty, &session, &file, &Keys::Given(key.clone())).unwrap();
        assert_eq!(outcome.schema_version, LATEST_VERSION);
        let restored = Store::open(&second, &Keys::Plain, false).unwrap();
        assert_eq!(people(&restored), ["张三"]);
        assert_eq!(trail(&restored), trail(&local));
        // New rows after a restore get new ids (the server's sequences were moved past the copied rows).
        let zhao = crate::domain::candidate::CandidateDraft {
            name: "赵六".into(),
            id_number: "110105198001010016".into(),
            phone: "13800000001".into(),
            ..Default::default()
        };
        let mut restored = restored;
        crate::ops::candidates::add_candidate(&mut restored, &session, &zhao).unwrap();
        assert_eq!(people(&restored), ["张三", "赵六"]);
    }
}
