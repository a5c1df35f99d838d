//! Encryption at rest. An agency database is a SQLCipher file encrypted with a random 256-bit key (a raw key: no
//! password derivation, so opening costs nothing extra). The key never lives beside the database: it is kept in the
//! operating system's keychain, or given once as a recovery code (`SKILLCERT_DB_KEY`) where there is no keychain.
//!
//! The keychain holds a list of keys, the current one first: new databases are encrypted with the current key, and
//! an existing database is opened by whichever key fits, so backups, copies and a database brought from another
//! computer (after its recovery code was entered) all open. A plain database from an older SkillCert is encrypted in
//! place when it is next opened with a key at hand: an encrypted copy is written beside it, checked against the
//! original table by table, and renamed over it; at every moment the file is the whole old or the whole new database.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

/// The environment variable that gives the key as a recovery code (servers, scripts, computers without a keychain).
pub const KEY_ENV: &str = "SKILLCERT_DB_KEY";

/// SQLCipher's page size is not stored readably in the file: every encrypted SkillCert database uses this one.
/// Never change it, or existing databases stop opening. (16 KiB pages make bulk imports cheaper, as for plain files.)
const CIPHER_PAGE_SIZE: u32 = 16_384;

const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key: 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DbKey({})", self.fingerprint())
    }
}

/// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Key bits, then a 4-character checksum that catches a mistyped code before any database is tried.
const CODE_KEY_CHARS: usize = 52;
const CODE_CHECK_CHARS: usize = 4;

impl DbKey {
    pub fn random() -> Result<DbKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::refused(format!("无法生成数据库密钥：系统随机数不可用（{e}）")))?;
        Ok(DbKey(bytes))
    }

    /// SQLCipher's raw-key form.
    fn pragma_literal(&self) -> String {
        format!("x'{}'", hex(&self.0))
    }

    /// A short, non-secret name of the key, shown so that an operator can tell keys apart.
    pub fn fingerprint(&self) -> String {
        // A digest of its own, so that it shares nothing with the recovery code's checksum.
        let digest = digest(&[b"SkillCert key fingerprint".as_slice(), &self.0].concat());
        let text = base32(&digest[..5], 8);
        format!("{}-{}", &text[..4], &text[4..])
    }

    /// The key as an operator writes it down: 14 groups of 4 characters, the last group a checksum.
    pub fn recovery_code(&self) -> String {
        let mut code = base32(&self.0, CODE_KEY_CHARS);
        code.push_str(&base32(&digest(&self.0)[..3], CODE_CHECK_CHARS));
        code.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("ASCII")).collect::<Vec<_>>().join("-")
    }

    /// Reads a recovery code, forgiving spaces, dashes, lower case and the look-alikes O/0 and I/L/1. The whole
    /// exported file (or a paste of it) also works: its code line is found.
    pub fn from_recovery_code(text: &str) -> Result<DbKey> {
        DbKey::from_code_line(text).or_else(|e| text.lines().find_map(|l| DbKey::from_code_line(l).ok()).ok_or(e))
    }

    fn from_code_line(text: &str) -> Result<DbKey> {
        let invalid =
            |why: &str| Error::invalid("恢复码", format!("{why}：请按导出的恢复码逐字输入（共 56 个字母或数字）"));
        let mut values = Vec::with_capacity(CODE_KEY_CHARS + CODE_CHECK_CHARS);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            match ALPHABET.iter().position(|&a| char::from(a) == c) {
                Some(v) => values.push(v as u8),
                None => return Err(invalid(&format!("含有不可能出现的字符“{c}”"))),
            }
        }
        if values.len() != CODE_KEY_CHARS + CODE_CHECK_CHARS {
            return Err(invalid(&format!("长度不对（{} 个字符）", values.len())));
        }
        let bytes = unbase32(&values[..CODE_KEY_CHARS], 32);
        let key = DbKey(bytes.try_into().expect("32 bytes"));
        let check = unbase32(&values[CODE_KEY_CHARS..], 2);
        // 4 characters carry 20 bits; the first 16 of the digest's bits are compared exactly, the rest loosely.
        if check[..] != digest(&key.0)[..2] {
            return Err(invalid("校验不符，可能有字符抄错"));
        }
        Ok(key)
    }

    fn to_hex(&self) -> String {
        hex(&self.0)
    }

    fn from_hex(text: &str) -> Option<DbKey> {
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(DbKey(bytes))
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    use blake2::Digest;
    blake2::Blake2s256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The first `chars` base32 digits of `bytes` (big-endian bit order, zero-padded).
fn base32(bytes: &[u8], chars: usize) -> String {
    (0..chars)
        .map(|i| {
            let value = (0..5).fold(0u8, |acc, b| {
                let bit = i * 5 + b;
                let set = bytes.get(bit / 8).is_some_and(|byte| byte & (0x80 >> (bit % 8)) != 0);
                (acc << 1) | u8::from(set)
            });
            char::from(ALPHABET[usize::from(value)])
        })
        .collect()
}

/// `len` bytes from base32 digit values (the inverse of [`base32`]; extra bits are ignored).
fn unbase32(values: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    for (i, value) in values.iter().enumerate() {
        for b in 0..5 {
            let bit = i * 5 + b;
            if value & (0x10 >> b) != 0 && bit / 8 < len {
                bytes[bit / 8] |= 0x80 >> (bit % 8);
            }
        }
    }
    bytes
}

/// Where the keys of encrypted databases are kept between runs.
pub trait KeyStore: Send + Sync {
    /// Every key kept, the current one first. An unavailable store is an error naming why.
    fn load(&self) -> std::result::Result<Vec<DbKey>, String>;
    fn save(&self, keys: &[DbKey]) -> std::result::Result<(), String>;
}

/// The operating system's keychain (Windows Credential Manager, macOS Keychain, the Secret Service on Linux).
pub struct OsKeychain;

const KEYCHAIN_SERVICE: &str = "SkillCert 数据库密钥";
const KEYCHAIN_ACCOUNT: &str = "本机";

#[derive(Serialize, Deserialize)]
struct KeptKeys {
    keys: Vec<String>,
}

impl KeyStore for OsKeychain {
    fn load(&self) -> std::result::Result<Vec<DbKey>, String> {
        let entry = keyring::Entry::new(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT).map_err(|e| e.to_string())?;
        match entry.get_password() {
            Ok(text) => {
                let kept: KeptKeys =
                    serde_json::from_str(&text).map_err(|e| format!("钥匙串中的密钥记录无法读取（{e}）"))?;
                Ok(kept.keys.iter().filter_map(|k| DbKey::from_hex(k)).collect())
            }
            Err(keyring::Error::NoEntry) => Ok(Vec::new()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn save(&self, keys: &[DbKey]) -> std::result::Result<(), String> {
        let entry = keyring::Entry::new(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT).map_err(|e| e.to_string())?;
        let text = serde_json::to_string(&KeptKeys { keys: keys.iter().map(DbKey::to_hex).collect() })
            .map_err(|e| e.to_string())?;
        entry.set_password(&text).map_err(|e| e.to_string())?;
        // Read it back: a store that forgets (a mock, a locked keychain) must not be trusted with the only key.
        match entry.get_password() {
            Ok(back) if back == text => Ok(()),
            _ => Err("写入后读回不一致".into()),
        }
    }
}

/// A key store in memory, for tests and for tools that are given their keys.
#[derive(Default)]
pub struct MemoryKeyStore(Mutex<Vec<DbKey>>);

impl KeyStore for MemoryKeyStore {
    fn load(&self) -> std::result::Result<Vec<DbKey>, String> {
        Ok(self.0.lock().map_err(|_| "poisoned")?.clone())
    }
    fn save(&self, keys: &[DbKey]) -> std::result::Result<(), String> {
        *self.0.lock().map_err(|_| "poisoned")? = keys.to_vec();
        Ok(())
    }
}

/// How a program gets the keys for its databases.
pub enum Keys {
    /// No encryption: new databases stay plain and an encrypted one cannot be opened (tests, the portal server).
    Plain,
    /// One key, given as a recovery code (`SKILLCERT_DB_KEY`): new and plain databases are encrypted with it.
    Given(DbKey),
    /// Keys kept in a store (the OS keychain): new and plain databases get its current key, made on first use.
    Stored(Box<dyn KeyStore>),
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Keys::Plain => f.write_str("Keys::Plain"),
            Keys::Given(key) => write!(f, "Keys::Given({key:?})"),
            Keys::Stored(_) => f.write_str("Keys::Stored"),
        }
    }
}

impl Keys {
    /// What the CLI and the app use: the recovery code in `SKILLCERT_DB_KEY` if set, else the OS keychain.
    pub fn system() -> Result<Keys> {
        match std::env::var(KEY_ENV) {
            Ok(code) if !code.trim().is_empty() => DbKey::from_recovery_code(&code)
                .map(Keys::Given)
                .map_err(|e| Error::invalid("SKILLCERT_DB_KEY", format!("环境变量中的恢复码无法使用：{e}"))),
            _ => Ok(Keys::Stored(Box::new(OsKeychain))),
        }
    }

    /// For servers (the portal): the recovery code in `SKILLCERT_DB_KEY` if set, else no encryption.
    pub fn from_env() -> Result<Keys> {
        match Keys::system()? {
            Keys::Stored(_) => Ok(Keys::Plain),
            given => Ok(given),
        }
    }

    /// The keys to try on an encrypted database, or why there are none.
    fn candidates(&self) -> std::result::Result<Vec<DbKey>, String> {
        match self {
            Keys::Plain => Err("本程序以不加密方式运行".into()),
            Keys::Given(key) => Ok(vec![key.clone()]),
            Keys::Stored(store) => store.load().map_err(|e| format!("系统钥匙串不可用（{e}）")),
        }
    }

    /// The key to encrypt a new or plain database with (made and kept on first use), or why it stays plain.
    pub(crate) fn for_new(&self) -> std::result::Result<DbKey, String> {
        match self {
            Keys::Plain => Err("本程序以不加密方式运行".into()),
            Keys::Given(key) => Ok(key.clone()),
            Keys::Stored(store) => {
                let mut keys = store.load().map_err(|e| format!("系统钥匙串不可用（{e}）"))?;
                if let Some(current) = keys.first() {
                    return Ok(current.clone());
                }
                let key = DbKey::random().map_err(|e| e.to_string())?;
                keys.push(key.clone());
                store.save(&keys).map_err(|e| format!("无法把密钥存入系统钥匙串（{e}）"))?;
                Ok(key)
            }
        }
    }

    /// Keeps a key entered as a recovery code beside the others, so the database it belongs to opens from now on.
    pub fn add_recovery_code(&self, code: &str) -> Result<DbKey> {
        let Keys::Stored(store) = self else {
            return Err(Error::refused(format!("本程序不使用系统钥匙串：请把恢复码放在环境变量 {KEY_ENV} 中再运行")));
        };
        let key = DbKey::from_recovery_code(code)?;
        let mut keys = store.load().map_err(|e| keychain_unavailable(&e))?;
        if !keys.contains(&key) {
            // Behind the current key: a database brought from elsewhere does not change what new ones get.
            keys.push(key.clone());
            store.save(&keys).map_err(|e| keychain_unavailable(&e))?;
        }
        Ok(key)
    }
}

/// The database at `db` opened with a recovery code an operator entered: the code is tried on the database first
/// (a code for another database is refused and kept nowhere), then kept in the keychain so the database opens by
/// itself from now on. Where there is no keychain the database is open for this run only, and `not_kept` says why.
pub fn unlock(db: &Path, code: &str, keys: &Keys) -> Result<Unlocked> {
    let key = DbKey::from_recovery_code(code)?;
    let store = crate::store::Store::open_existing(db, &Keys::Given(key.clone())).map_err(|e| match e.code() {
        ErrorCode::KeyMissing => Error::invalid("恢复码", "这个恢复码打不开这个数据库：请核对是否是这个数据库的恢复码"),
        _ => e,
    })?;
    let not_kept = keys.add_recovery_code(&key.recovery_code()).err().map(|e| e.to_string());
    Ok(Unlocked { store, not_kept })
}

pub struct Unlocked {
    pub store: crate::store::Store,
    /// Why the key could not be kept for the next start (no keychain): it must be entered again then.
    pub not_kept: Option<String>,
}

fn keychain_unavailable(why: &str) -> Error {
    Error::refused(format!(
        "{why}：无法保存密钥。没有钥匙串的电脑上，请把恢复码放在环境变量 {KEY_ENV} 中运行 SkillCert"
    ))
}

/// Whether a database is encrypted, with which key, or why not. Shown in 设置 → 数据安全 and by `skillcert key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EncryptionStatus {
    pub encrypted: bool,
    /// The fingerprint of the key that opened it.
    pub key_fingerprint: Option<String>,
    /// Why a database stays plain (no keychain, in use by another program, …).
    pub plain_reason: Option<String>,
}

impl EncryptionStatus {
    pub fn encrypted(key: &DbKey) -> EncryptionStatus {
        EncryptionStatus { encrypted: true, key_fingerprint: Some(key.fingerprint()), plain_reason: None }
    }
    pub fn plain(why: impl Into<String>) -> EncryptionStatus {
        EncryptionStatus { encrypted: false, key_fingerprint: None, plain_reason: Some(why.into()) }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// No file, or an empty one: a new database.
    New,
    Plain,
    /// A SQLCipher database (or, rarely, a file of whole pages that is no database at all; only a key can tell).
    Encrypted,
    /// Not a database: SQLite and SQLCipher files are whole pages (multiples of 512 bytes), this one is not.
    Foreign,
}

pub(crate) fn file_kind(path: &Path) -> Result<FileKind> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(Error::io_at(path, e)),
    };
    let mut header = Vec::with_capacity(16);
    (&mut file).take(16).read_to_end(&mut header).map_err(|e| Error::io_at(path, e))?;
    let len = file.metadata().map_err(|e| Error::io_at(path, e))?.len();
    Ok(if header.is_empty() {
        FileKind::New
    } else if header == PLAIN_HEADER {
        FileKind::Plain
    } else if len % 512 == 0 {
        FileKind::Encrypted
    } else {
        FileKind::Foreign
    })
}

/// Settings every connection gets before it touches a file: SQLCipher stays quiet (failures come back as errors,
/// not as lines on stderr) and uses SkillCert's page size, also for the files `VACUUM INTO` writes.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA cipher_default_page_size = {CIPHER_PAGE_SIZE};"
    ))
}

/// A connection to `path`, keyed with `key` (plain when None; the key must come before anything else touches the
/// file). A 64 MiB page cache: every page read from an encrypted file is decrypted and its HMAC checked, so a
/// check that revisits pages (integrity_check of a 100,000-candidate backup: 2.8 s with the default cache, 0.24 s
/// with this) must find them in memory, and a 100,000-row import is one transaction that should not spill mid-way.
fn connection(path: &Path, flags: OpenFlags, key: Option<&DbKey>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    if let Some(key) = key {
        conn.execute_batch(&format!(
            "PRAGMA key = \"{}\"; PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE};",
            key.pragma_literal()
        ))?;
    }
    conn.execute_batch("PRAGMA cache_size = -65536;")?;
    Ok(conn)
}

/// An open connection and the key that opened it (None: a plain file).
pub(crate) struct Opened {
    pub conn: Connection,
    pub key: Option<DbKey>,
}

/// Opens an existing or new file as it is: a plain file plainly, an encrypted one with the first key that fits, a new
/// one with `new_key` (plain if None). Only reads: a file no key opens is refused untouched.
pub(crate) fn open_as_is(path: &Path, flags: OpenFlags, keys: &Keys, new_key: Option<&DbKey>) -> Result<Opened> {
    match file_kind(path)? {
        FileKind::Plain => Ok(Opened { conn: connection(path, flags, None)?, key: None }),
        FileKind::Foreign => Err(Error::Database(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            None,
        ))),
        FileKind::New => Ok(Opened { conn: connection(path, flags, new_key)?, key: new_key.cloned() }),
        FileKind::Encrypted => {
            let candidates =
                keys.candidates().map_err(|why| key_missing(path, &format!("本机没有它的密钥（{why}）")))?;
            for key in candidates {
                // A key that does not fit fails at the first read (connection() reads when it sets the cache).
                match connection(path, flags, Some(&key)) {
                    Ok(conn) => return Ok(Opened { conn, key: Some(key) }),
                    Err(Error::Database(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(key_missing(
                path,
                "本机保存的密钥都打不开它：它可能来自另一台电脑，或本机钥匙串已重置（也可能根本不是 SkillCert 数据库）",
            ))
        }
    }
}

/// A bare connection to the database at `path` (created if missing), keyed when it is encrypted: for tools and tests
/// that look at the file with SQL of their own. The store ([`crate::Store`]) is what programs use; only the whole-
/// system tests enable this (feature `sql-for-tests`), so no shell can reach the tables through it.
#[cfg(feature = "sql-for-tests")]
pub fn connect(path: &Path, keys: &Keys) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Ok(open_as_is(path, flags, keys, None)?.conn)
}

fn key_missing(path: &Path, why: &str) -> Error {
    Error::KeyMissing(format!(
        "数据库“{}”已加密，{why}。请输入这个数据库的恢复码解锁，文件未做任何改动",
        path.display()
    ))
    .with_fix(crate::error::Fix::EnterRecoveryCode)
}

/// Encrypts the plain SkillCert database at `path` with `key`: an encrypted copy is written beside it, compared with
/// the original table by table, made durable and renamed over it. Refused (nothing changed) while another program
/// has the database open, since its WAL would be lost.
pub(crate) fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<()> {
    let partial = with_suffix(path, ".encrypting");
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        // CREATE: an attached database opens with the main one's flags, and the encrypted copy is new.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let plain = connection(path, flags, None)?;
        // Leaving WAL mode needs the database to itself, and folds the WAL into the main file.
        let mode: rusqlite::Result<String> = plain.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
        if !matches!(mode, Ok(ref m) if m.eq_ignore_ascii_case("delete")) {
            return Err(Error::refused("数据库正被另一个程序使用，暂不能加密：关闭其他 SkillCert 窗口后再打开即可"));
        }
        // Hold the database to ourselves until the copy replaces it, so no other program writes into the old file.
        plain.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")?;
        let header = |conn: &Connection, schema: &str| -> rusqlite::Result<(i64, i64)> {
            Ok((
                conn.query_row(&format!("PRAGMA {schema}.user_version"), [], |r| r.get(0))?,
                conn.query_row(&format!("PRAGMA {schema}.application_id"), [], |r| r.get(0))?,
            ))
        };
        let (version, app_id) = header(&plain, "main")?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            [partial.to_string_lossy(), key.pragma_literal().into()],
        )?;
        plain.execute_batch(&format!(
            "PRAGMA encrypted.cipher_page_size = {CIPHER_PAGE_SIZE}; SELECT sqlcipher_export('encrypted');
             PRAGMA encrypted.user_version = {version}; PRAGMA encrypted.application_id = {app_id};"
        ))?;
        plain.execute_batch("DETACH DATABASE encrypted")?;
        let copy = connection(&partial, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, Some(key))?;
        let check: String = copy.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
        if check != "ok" || header(&copy, "main")? != (version, app_id) || row_counts(&copy)? != row_counts(&plain)? {
            return Err(Error::refused("加密副本与原数据库核对不一致，已放弃加密；原数据库未做任何改动"));
        }
        drop(copy);
        sync_file(&partial)?;
        drop(plain);
        std::fs::rename(&partial, path).map_err(|e| Error::io_at(path, e))?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Every table's row count, by name: what an encrypted copy must have too.
fn row_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|t| {
            let n =
                conn.query_row(&format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\"")), [], |r| r.get(0))?;
            Ok((t, n))
        })
        .collect()
}

/// Makes a written file durable. Opened for writing: Windows flushes only through a handle that may write.
pub(crate) fn sync_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io_at(path, e))
}

/// Makes a rename durable where the platform allows opening a directory (not on Windows, where it is not needed).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

/// `path` with `suffix` added to its file name (`a.db` → `a.db.partial`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_code_gives_back_its_key_and_catches_typos() {
        let key = DbKey::random().unwrap();
        let code = key.recovery_code();
        assert_eq!(code.len(), 14 * 4 + 13, "{code}");
        assert_eq!(DbKey::from_recovery_code(&code).unwrap(), key);
        // Typed by hand: lower case, spaces instead of dashes, O for 0 and l for 1.
        let typed = code.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(DbKey::from_recovery_code(&typed).unwrap(), key);
        // One character changed is caught by the checksum (or is not a code character at all).
        let mut wrong: Vec<char> = code.chars().collect();
        wrong[5] = if wrong[5] == 'A' { 'B' } else { 'A' };
        let e = DbKey::from_recovery_code(&wrong.into_iter().collect::<String>()).unwrap_err();
        assert!(e.to_string().contains("校验不符"), "{e}");
        let file = format!("SkillCert 数据库恢复码\r\n\r\n恢复码：\r\n{code}\r\n请妥善保管。\r\n");
        assert_eq!(DbKey::from_recovery_code(&file).unwrap(), key, "the exported file's text as it is");
        let e = DbKey::from_recovery_code(&code[..20]).unwrap_err();
        assert!(e.to_string().contains("长度不对"), "{e}");
        let e = DbKey::from_recovery_code(&code.replace(&code[..1], "U")).unwrap_err();
        assert!(e.to_string().contains("“U”"), "{e}");
    }

    #[test]
    fn base32_round_trips_any_bytes() {
        for seed in 0u8..=255 {
            let bytes: Vec<u8> = (0..32).map(|i| seed.wrapping_mul(31).wrapping_add(i * 7)).collect();
            let text = base32(&bytes, CODE_KEY_CHARS);
            let values: Vec<u8> = text.bytes().map(|c| ALPHABET.iter().position(|&a| a == c).unwrap() as u8).collect();
            assert_eq!(unbase32(&values, 32), bytes);
        }
    }

    #[test]
    fn a_stored_key_is_made_once_and_codes_are_added_behind_it() {
        let keys = Keys::Stored(Box::<MemoryKeyStore>::default());
        let first = keys.for_new().unwrap();
        assert_eq!(keys.for_new().unwrap(), first, "the current key is reused");
        let other = DbKey::random().unwrap();
        keys.add_recovery_code(&other.recovery_code()).unwrap();
        keys.add_recovery_code(&other.recovery_code()).unwrap();
        assert_eq!(keys.candidates().unwrap(), vec![first.clone(), other]);
        assert_eq!(keys.for_new().unwrap(), first, "an added key does not become the current one");
        let e = Keys::Plain.add_recovery_code(&first.recovery_code()).unwrap_err();
        assert!(e.to_string().contains(KEY_ENV), "{e}");
    }

    #[test]
    fn a_key_store_that_fails_keeps_databases_plain_with_the_reason() {
        struct Broken;
        impl KeyStore for Broken {
            fn load(&self) -> std::result::Result<Vec<DbKey>, String> {
                Err("Platform secure storage failure".into())
            }
            fn save(&self, _: &[DbKey]) -> std::result::Result<(), String> {
                Err("no".into())
            }
        }
        let why = Keys::Stored(Box::new(Broken)).for_new().unwrap_err();
        assert!(why.contains("钥匙串不可用"), "{why}");
    }

    mod stores {
        use super::super::*;
        use crate::backup::{self, BackupReason};
        use crate::error::ErrorCode;
        use crate::ops::Session;
        use crate::store::Store;
        use crate::testing::agency;

        fn given(key: &DbKey) -> Keys {
            Keys::Given(key.clone())
        }

        fn names(store: &Store) -> Vec<String> {
            let mut stmt = store.conn().prepare("SELECT name FROM candidates ORDER BY id").unwrap();
            stmt.query_map((), |r| r.get(0)).unwrap().collect::<crate::Result<_>>().unwrap()
        }

        /// The file and its WAL, as bytes: what "untouched" compares.
        fn bytes(db: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
            (std::fs::read(db).unwrap(), std::fs::read(with_suffix(db, "-wal")).ok())
        }

        #[test]
        fn a_new_database_is_encrypted_and_opens_only_with_its_key() {
            let key = DbKey::random().unwrap();
            let (_dir, db, store) = agency(&given(&key));
            assert_eq!(store.encryption(), &EncryptionStatus::encrypted(&key));
            drop(store);
            assert_eq!(file_kind(&db).unwrap(), FileKind::Encrypted);
            let raw = std::fs::read(&db).unwrap();
            assert!(!raw.windows("张三".len()).any(|w| w == "张三".as_bytes()), "no name readable in the file");

            let before = bytes(&db);
            for keys in [Keys::Plain, given(&DbKey::random().unwrap()), Keys::Stored(Box::<MemoryKeyStore>::default())]
            {
                let e = Store::open_existing(&db, &keys).map(|_| ()).unwrap_err();
                assert_eq!(e.code(), crate::error::ErrorCode::KeyMissing, "{keys:?}: {e}");
                assert!(e.to_string().contains("恢复码"), "{e}");
                assert_eq!(bytes(&db), before, "a refused key leaves the file as it was");
            }
            assert_eq!(names(&Store::open_existing(&db, &given(&key)).unwrap()), ["张三"]);
        }

        #[test]
        fn a_plain_database_and_its_backups_are_encrypted_in_place_when_a_key_is_at_hand() {
            let (_dir, db, store) = agency(&Keys::Plain);
            assert!(!store.encryption().encrypted);
            backup::beside(&store, BackupReason::Manual).unwrap();
            // A damaged copy (as a restore keeps a damaged database) cannot be encrypted: it must not stop the opening.
            let damaged = backup::beside(&store, BackupReason::BeforeRestore).unwrap().unwrap();
            let bytes = std::fs::read(&damaged.path).unwrap();
            std::fs::write(&damaged.path, &bytes[..bytes.len() / 2]).unwrap();
            drop(store);

            let keychain = Keys::Stored(Box::<MemoryKeyStore>::default());
            let store = Store::open_existing(&db, &keychain).unwrap();
            let key = keychain.candidates().unwrap().remove(0);
            assert_eq!(store.encryption(), &EncryptionStatus::encrypted(&key), "made and kept on first use");
            assert_eq!(names(&store), ["张三"]);
            drop(store);
            assert_eq!(file_kind(&db).unwrap(), FileKind::Encrypted);
            assert!(!with_suffix(&db, ".encrypting").exists());
            let backups = backup::list(&db).unwrap();
            assert_eq!(backups.len(), 2);
            let copy = Path::new(&backups.iter().find(|b| b.reason == BackupReason::Manual).unwrap().path);
            assert_eq!(file_kind(Path::new(&damaged.path)).unwrap(), FileKind::Plain, "left as it was");
            assert_eq!(file_kind(copy).unwrap(), FileKind::Encrypted, "the old copy is no longer readable");
            assert!(backup::verify(copy, &keychain).is_ok());
            assert!(backup::verify(copy, &Keys::Plain).is_err());
        }

        #[test]
        fn a_plain_database_in_use_elsewhere_stays_plain_until_it_is_free() {
            let (_dir, db, other) = agency(&Keys::Plain);
            let key = DbKey::random().unwrap();
            let store = Store::open_existing(&db, &given(&key)).unwrap();
            assert!(!store.encryption().encrypted);
            let why = store.encryption().plain_reason.clone().unwrap();
            assert!(why.contains("正被另一个程序使用"), "{why}");
            assert_eq!(names(&store), ["张三"]);
            drop((store, other));
            let store = Store::open_existing(&db, &given(&key)).unwrap();
            assert!(store.encryption().encrypted);
            assert_eq!(names(&store), ["张三"]);
        }

        #[test]
        fn another_programs_or_a_newer_plain_database_is_never_encrypted() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("other.db");
            Connection::open(&path).unwrap().execute_batch("CREATE TABLE orders (id INTEGER PRIMARY KEY);").unwrap();
            let before = std::fs::read(&path).unwrap();
            assert!(Store::open_existing(&path, &given(&DbKey::random().unwrap())).is_err());
            assert_eq!(std::fs::read(&path).unwrap(), before);

            let (_dir, newer, store) = agency(&Keys::Plain);
            drop(store);
            let conn = Connection::open(&newer).unwrap();
            conn.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
            conn.pragma_update(None, "user_version", crate::store::LATEST_VERSION + 1).unwrap();
            drop(conn);
            let before = std::fs::read(&newer).unwrap();
            let e = Store::open_existing(&newer, &given(&DbKey::random().unwrap())).map(|_| ()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::SchemaTooNew);
            assert_eq!(std::fs::read(&newer).unwrap(), before, "a newer SkillCert's database is left as it was");
        }

        #[test]
        fn a_database_from_another_computer_opens_once_its_recovery_code_is_entered() {
            let (_dir, db, store) = agency(&Keys::Stored(Box::<MemoryKeyStore>::default()));
            let code = store.key().unwrap().recovery_code();
            // An upgrade, a bulk operation: the copies beside it are encrypted with the same key.
            backup::before_bulk(&store, "导入考生").unwrap();
            drop(store);

            let ours = Keys::Stored(Box::<MemoryKeyStore>::default());
            let own = ours.for_new().unwrap();
            assert_eq!(Store::open_existing(&db, &ours).map(|_| ()).unwrap_err().code(), ErrorCode::KeyMissing);
            ours.add_recovery_code(&code).unwrap();
            let store = Store::open_existing(&db, &ours).unwrap();
            assert_eq!(names(&store), ["张三"]);
            assert_eq!(ours.for_new().unwrap(), own, "new databases still get this computer's key");
            let copy = backup::list(&db).unwrap().remove(0);
            assert!(backup::verify(Path::new(&copy.path), &ours).is_ok());
        }

        #[test]
        fn an_entered_recovery_code_is_tried_before_it_is_kept() {
            let key = DbKey::random().unwrap();
            let (_dir, db, store) = agency(&given(&key));
            drop(store);
            let here = Keys::Stored(Box::<MemoryKeyStore>::default());
            let wrong = DbKey::random().unwrap().recovery_code();
            let e = unlock(&db, &wrong, &here).map(|_| ()).unwrap_err();
            assert!(e.to_string().contains("打不开这个数据库"), "{e}");
            assert!(here.candidates().unwrap().is_empty(), "a wrong code is kept nowhere");
            let unlocked = unlock(&db, &key.recovery_code(), &here).unwrap();
            assert!(unlocked.not_kept.is_none());
            assert_eq!(names(&unlocked.store), ["张三"]);
            drop(unlocked);
            assert!(Store::open_existing(&db, &here).is_ok(), "opens by itself from now on");
            // Without a keychain it opens for this run, and says why it will ask again.
            let unlocked = unlock(&db, &key.recovery_code(), &Keys::Plain).unwrap();
            assert!(unlocked.not_kept.unwrap().contains(KEY_ENV));
        }

        #[test]
        fn a_restore_of_an_encrypted_backup_keeps_it_encrypted() {
            let key = DbKey::random().unwrap();
            let (dir, db, store) = agency(&given(&key));
            let saved = dir.path().join("saved.db");
            backup::backup_to(&store, &Session::new("测试"), &saved, &Keys::Plain).unwrap();
            assert_eq!(file_kind(&saved).unwrap(), FileKind::Encrypted);
            let outcome = backup::restore(store, &Session::new("测试"), &saved, &given(&key)).unwrap();
            assert_eq!(file_kind(Path::new(&outcome.kept.unwrap().path)).unwrap(), FileKind::Encrypted);
            assert_eq!(names(&Store::open_existing(&db, &given(&key)).unwrap()), ["张三"]);
        }
    }
}
